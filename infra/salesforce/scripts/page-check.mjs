// Opens a page in Debian's headless Chromium (never a downloaded browser), waits for a selector, takes a
// full-page screenshot and prints one JSON object: the screenshot's size and how much of it is not
// background, and for each --query name=css the number of matches and their texts (selectors reach
// into open shadow roots, so a component's own elements are found too).
//
//   node scripts/page-check.mjs --url URL --out shot.png [--wait css] [--width 1280] [--query name=css]...
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const options = { width: 1280, height: 800, queries: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--query') {
        const split = value.indexOf('=');
        options.queries.push([value.slice(0, split), value.slice(split + 1)]);
    } else {
        options[key.replace(/^--/, '')] = value;
    }
}
if (!options.url || !options.out) {
    console.error('usage: node scripts/page-check.mjs --url URL --out shot.png [--wait css] [--width N] [--height N] [--query name=css]...');
    process.exit(2);
}

const profile = mkdtempSync(path.join(tmpdir(), 'sfp-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.SFP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: Number(options.width), height: Number(options.height) },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
});
try {
    const page = context.pages()[0] || (await context.newPage());
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(options.url, { waitUntil: 'load' });
    if (options.wait) {
        await page.locator(options.wait).first().waitFor({ state: 'visible', timeout: 30000 });
    }
    const queries = {};
    for (const [name, selector] of options.queries) {
        const matches = page.locator(selector);
        queries[name] = { count: await matches.count(), texts: (await matches.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()) };
    }
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(options.out, png);

    // Reads the screenshot back in the browser: the share of pixels unlike the top-left (background) one,
    // and how many distinct colours (in steps of 16) the page uses.
    const pixels = await page.evaluate(async (dataUrl) => {
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context2d = canvas.getContext('2d');
        context2d.drawImage(image, 0, 0);
        const data = context2d.getImageData(0, 0, image.width, image.height).data;
        const colours = new Set();
        let different = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) {
                different++;
            }
            colours.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
        }
        return { width: image.width, height: image.height, nonBackgroundShare: different / (data.length / 4), colours: colours.size };
    }, `data:image/png;base64,${png.toString('base64')}`);

    const origin = new URL(options.url).origin;
    const external = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('file:') && !url.startsWith(origin));
    console.log(JSON.stringify({ ...pixels, bytes: png.length, errors, external, queries }));
} finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
}
