// Dates are stored UTC and shown in Beijing time, as the portal's readers and inspections expect.
const parts = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function pieces(iso) {
  const map = {};
  for (const p of parts.formatToParts(new Date(iso))) map[p.type] = p.value;
  return map;
}

/** yyyy-MM-dd */
export function day(iso) {
  if (!iso) return '';
  const p = pieces(iso);
  return `${p.year}-${p.month}-${p.day}`;
}

/** yyyy-MM-dd HH:mm (24 h), the PubDate format of government-site inspections */
export function minute(iso) {
  if (!iso) return '';
  const p = pieces(iso);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** File sizes as 20 KB, 1.5 MB. */
export function size(bytes) {
  if (bytes == null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
