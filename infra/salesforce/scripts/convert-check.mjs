// Converts force-app to Metadata API format with Salesforce's own library (what `sf project convert source`
// and deploys use), into the folder given as the first argument, and prints every component as
// "Type:FullName", one a line. Exits non-zero with the library's message when a file does not convert.
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const out = process.argv[2];
if (!out) {
    console.error('usage: node scripts/convert-check.mjs <output folder>');
    process.exit(2);
}

const source = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'force-app');
try {
    const components = ComponentSet.fromSource(source);
    await new MetadataConverter().convert(components, 'metadata', { type: 'directory', outputDirectory: out, genUniqueDir: false });
    for (const component of components.toArray()) {
        console.log(`${component.type.name}:${component.fullName}`);
    }
} catch (error) {
    console.error(`conversion failed: ${error.message}`);
    process.exit(1);
}
