const gsm7Basic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const gsm7Extension = '^{}\\[~]|€\f';

/** How a text is encoded and into how many SMS parts it is split (153 GSM-7 / 67 UCS-2 per part when split). */
export const smsParts = (text: string): { encoding: 'GSM-7' | 'UCS-2'; parts: number } => {
  let septets = 0;
  for (const c of text) {
    if (gsm7Basic.includes(c)) septets += 1;
    else if (gsm7Extension.includes(c)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'UCS-2', parts: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'GSM-7', parts: septets <= 160 ? 1 : Math.ceil(septets / 153) };
};
