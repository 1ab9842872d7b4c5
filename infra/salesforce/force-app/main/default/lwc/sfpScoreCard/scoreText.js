// Reads the texts the SfPredictor worker writes (src/SfPredictor.Worker/WriteBack/ScoreText.cs):
// "Demo (+12 pts)", "No activity in 24 days (−8 pts)", one per line in the long text fields.

// The worker writes U+2212 (minus sign); a hyphen is accepted too.
const POINTS = /^(.*)\s\(([+\u2212-]?)(\d+(?:\.\d+)?) pts\)\s*$/;

/** { label, points } from "Demo (+12 pts)"; points is null when the text carries none. */
export function parsePoints(text) {
    if (!text || !text.trim()) {
        return null;
    }
    const match = POINTS.exec(text.trim());
    if (!match) {
        return { label: text.trim(), points: null };
    }
    const size = Number(match[3]);
    return { label: match[1].trim(), points: match[2] === '+' || match[2] === '' ? size : -size };
}

/** One entry per non-empty line of a long text field. */
export function parseLines(text) {
    if (!text) {
        return [];
    }
    return text
        .split(/\r?\n/)
        .map(parsePoints)
        .filter((entry) => entry !== null);
}

/** "+12 pts", "−0.7 pts": whole points from one point on, as the worker writes them. */
export function formatPoints(points) {
    const size = Math.abs(points);
    const text = size >= 1 ? String(Math.round(size)) : size.toFixed(1);
    if (points > 0) {
        return `+${text} pts`;
    }
    return points < 0 ? `\u2212${text} pts` : `${text} pts`;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(then, now) {
    const seconds = Math.max(0, Math.round((now - then) / 1000));
    const steps = [
        [86400, 'day'],
        [3600, 'hour'],
        [60, 'minute']
    ];
    for (const [size, unit] of steps) {
        if (seconds >= size) {
            const count = Math.floor(seconds / size);
            return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
        }
    }
    return 'just now';
}

/** Red below 30 %, amber below 60 %, green from 60 % on (each dark enough for white text). */
export function band(probability) {
    if (probability < 30) {
        return 'low';
    }
    return probability < 60 ? 'medium' : 'high';
}
