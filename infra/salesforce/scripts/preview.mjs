// Builds the score card preview (preview/) with LWC's open-source compiler and screenshots it in headless
// Chromium: node scripts/preview.mjs [--out file.png] [--sample name]. Prints page-check's JSON.
import { rollup } from 'rollup';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import config from '../preview/rollup.config.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const out = path.resolve(option('--out', path.join(root, '..', '..', 'docs', 'images', 'score-card.png')));
const sample = option('--sample', '');

const bundle = await rollup({ ...config, onwarn: config.onwarn });
await bundle.write(config.output);
await bundle.close();

const url = pathToFileURL(path.join(root, 'preview', 'index.html')).href + (sample ? `?sample=${sample}` : '');
const result = execFileSync(process.execPath, [
    path.join(root, 'scripts', 'page-check.mjs'),
    '--url', url,
    '--out', out,
    '--width', '1300',
    '--wait', 'c-sfp-score-card .card',
    '--query', 'cards=c-sfp-score-card',
    '--query', 'probability=.probability',
    '--query', 'states=.state-heading',
    '--query', 'timeline=[data-id="timeline"] svg'
]);
process.stdout.write(result);
