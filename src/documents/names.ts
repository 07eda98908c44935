/** File and folder names that every system accepts, and sizes as people read them. */

/** Names Windows reserves for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A name safe as one file or folder name on Windows, macOS and Linux: characters Windows
 * forbids become _, trailing dots and spaces go, device names get a _, and it is cut to
 * 120 characters (a package's paths stay under Windows' 260 limit).
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim().replace(/[. ]+$/, '');
  if (RESERVED.test(safe)) safe = `_${safe}`;
  if (safe === '' || safe === '.' || safe === '..') safe = '_';
  return [...safe].slice(0, 120).join('');
}

/** 70 B, 12.4 KB, 3.1 MB, 1.2 GB (1024-based, as Windows shows them). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
