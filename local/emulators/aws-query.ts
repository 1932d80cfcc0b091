import { randomUUID } from 'node:crypto';

/** The XML namespace of SNS responses. */
export const snsNamespace = 'http://sns.amazonaws.com/doc/2010-03-31/';

export const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);

/** Parameters of an awsQuery request body (`Action=Publish&Version=...`, form-encoded). */
export const parseQueryBody = (body: string): Map<string, string> => new Map(new URLSearchParams(body));

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
export const parseMessageAttributes = (
  params: Map<string, string>,
): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> => {
  const attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = params.get(`${prefix}.Name`)!;
    const stringValue = params.get(`${prefix}.Value.StringValue`);
    const binaryValue = params.get(`${prefix}.Value.BinaryValue`);
    attributes[name] = {
      DataType: params.get(`${prefix}.Value.DataType`) ?? '',
      ...(stringValue === undefined ? {} : { StringValue: stringValue }),
      ...(binaryValue === undefined ? {} : { BinaryValue: binaryValue }),
    };
  }
  return attributes;
};

/** A successful awsQuery response, as AWS writes it. */
export const queryResponse = (action: string, resultXml: string, requestId: string = randomUUID()): string =>
  `<${action}Response xmlns="${snsNamespace}">\n` +
  `  <${action}Result>${resultXml}</${action}Result>\n` +
  `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n` +
  `</${action}Response>\n`;

/** An awsQuery error body: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export const queryError = (
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' = 'Sender',
  requestId: string = randomUUID(),
): string =>
  `<ErrorResponse xmlns="${snsNamespace}">\n` +
  `  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
  `  <RequestId>${requestId}</RequestId>\n` +
  `</ErrorResponse>\n`;
