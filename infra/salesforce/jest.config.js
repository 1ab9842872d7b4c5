const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    testPathIgnorePatterns: ['/node_modules/', '/preview/'],
    // eng/test.sh reads the counts from this report.
    reporters: ['default', ['<rootDir>/scripts/jest-summary-reporter.js', { outputFile: process.env.SFP_JEST_SUMMARY }]]
};
