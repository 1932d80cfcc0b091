import { escapeXml as escapeHtml } from './aws-query';
import type { SentSms } from './sms-store';

/** The web page listing the texts sent (newest first): the local phone's inbox. */
export const smsPage = (messages: readonly SentSms[], optedOut: readonly string[]): string => {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.at)}</td><td>${escapeHtml(m.phoneNumber)}</td><td>${escapeHtml(m.senderId ?? '')}</td>` +
        `<td>${escapeHtml(m.smsType ?? '')}</td><td>${m.status}</td><td>${m.encoding} × ${m.parts}</td>` +
        `<td class="text">${escapeHtml(m.message)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rekindle local SMS</title>
<meta http-equiv="refresh" content="5">
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}.text{white-space:pre-wrap}</style>
</head><body>
<h1>Texts sent (${messages.length})</h1>
<form onsubmit="event.preventDefault();fetch('/opt-out',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({phoneNumber:this.phone.value})}).then(()=>location.reload())">
Simulate a STOP reply from <input name="phone" placeholder="+447700900123"> <button>Opt out</button>
<button type="button" onclick="fetch('/clear',{method:'POST'}).then(()=>location.reload())">Clear texts</button>
</form>
<p>Opted out: ${optedOut.map(escapeHtml).join(', ') || 'none'}</p>
<table><thead><tr><th>Time</th><th>To</th><th>Sender id</th><th>Type</th><th>Status</th><th>Parts</th><th>Text</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
};
