// Builds the score card for a plain browser with LWC's open-source compiler: the same component files as
// in Salesforce, with Lightning Data Service and the Apex controller replaced by wire adapters that hand
// it sample data (preview/stubs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lwc from '@lwc/rollup-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, '..', 'force-app', 'main', 'default', 'lwc', 'sfpScoreCard');

const platformStubs = {
    'lightning/uiRecordApi': path.join(here, 'stubs', 'uiRecordApi.js'),
    '@salesforce/apex/SfpScoreTimelineController.getTimeline': path.join(here, 'stubs', 'getTimeline.js')
};

function salesforcePlatform() {
    return {
        name: 'salesforce-platform-stubs',
        resolveId(id) {
            return platformStubs[id] ?? null;
        },
        transform(code, id) {
            // The sample records are JSON; rollup itself reads only JavaScript.
            return id.endsWith('.json') ? { code: `export default ${code};`, map: null } : null;
        }
    };
}

export default {
    input: path.join(here, 'main.js'),
    output: { file: path.join(here, 'dist', 'preview.js'), format: 'iife' },
    plugins: [
        salesforcePlatform(),
        lwc({
            rootDir: here,
            exclude: ['**/*.json'],
            modules: [{ name: 'c/sfpScoreCard', path: path.join(bundle, 'sfpScoreCard.js') }]
        })
    ],
    onwarn(warning, warn) {
        if (warning.code !== 'CIRCULAR_DEPENDENCY') {
            warn(warning);
        }
    }
};
