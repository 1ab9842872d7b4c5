// Writes "<passed> <failed>" to the file named by the outputFile option (when set), so the repository's
// test command can add the Jest counts to its one summary line.
const fs = require('fs');

class SummaryReporter {
    constructor(globalConfig, options) {
        this.outputFile = options && options.outputFile;
    }

    onRunComplete(contexts, results) {
        if (this.outputFile) {
            const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
            fs.writeFileSync(this.outputFile, `${results.numPassedTests} ${failed}\n`);
        }
    }
}

module.exports = SummaryReporter;
