import { z } from 'zod';

// A CloudFormation custom resource's request and answer, as CloudFormation sends and expects them
// for a Lambda-backed resource (ServiceToken = the function's ARN): the function must PUT its
// answer to the request's pre-signed `ResponseURL`, or the stack waits until the resource's
// service timeout. So nothing a hook does may end without an answer.

export const customResourceRequestSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.url(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  ResourceType: z.string(),
  PhysicalResourceId: z.string().optional(),
  ResourceProperties: z.record(z.string(), z.unknown()).default({}),
});
export type CustomResourceRequest = z.infer<typeof customResourceRequestSchema>;

export interface CustomResourceAnswer {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  /** Shown in the stack's events when FAILED. */
  readonly reason?: string;
  /** Read with Fn::GetAtt; values must be strings. */
  readonly data?: Readonly<Record<string, string>>;
}

/** The answer's body, as CloudFormation reads it. */
export const customResourceResponse = (request: CustomResourceRequest, answer: CustomResourceAnswer) => ({
  Status: answer.status,
  // CloudFormation caps the reason; the stack event only needs its start.
  Reason: (answer.reason ?? answer.status).slice(0, 1000),
  PhysicalResourceId: answer.physicalResourceId,
  StackId: request.StackId,
  RequestId: request.RequestId,
  LogicalResourceId: request.LogicalResourceId,
  ...(answer.data ? { Data: answer.data } : {}),
});

/**
 * PUTs the answer. The URL is pre-signed for a body of no declared type, so the request sends an
 * empty Content-Type (fetch would otherwise send text/plain and S3 refuse the signature).
 */
export const sendCustomResourceResponse = async (
  request: CustomResourceRequest,
  answer: CustomResourceAnswer,
  fetcher: typeof fetch = fetch,
): Promise<void> => {
  const body = JSON.stringify(customResourceResponse(request, answer));
  const res = await fetcher(request.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body,
  });
  if (!res.ok) throw new Error(`CloudFormation did not take the answer: HTTP ${res.status}`);
};
