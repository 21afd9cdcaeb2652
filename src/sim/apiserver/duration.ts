/**
 * Human-readable durations exactly as k8s.io/apimachinery/pkg/util/duration.HumanDuration
 * prints them in the AGE column ("45s", "3m20s", "15m", "5h3m", "2d4h", "3y10d").
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to two seconds of clock skew counts as "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** RFC 3339 with second precision, as metav1.Time serialises ("2025-03-01T09:00:00Z"). */
const texts = new Map<number, string>();

export function rfc3339(ms: number): string {
  // Many objects are stamped in the same virtual seconds: share one string for each.
  const second = Math.floor(ms / 1000);
  let text = texts.get(second);
  if (text === undefined) {
    text = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    if (texts.size >= 4096) texts.clear();
    texts.set(second, text);
  }
  return text;
}

/** Go's time.Duration String() to the millisecond: 812ms, 2.244s, 1m20s, 5m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (Math.abs(ms) < 1000) return `${ms}ms`;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = `${+((abs % 60_000) / 1000).toFixed(3)}s`;
  if (h) return `${sign}${h}h${m}m${s}`;
  if (m) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}
