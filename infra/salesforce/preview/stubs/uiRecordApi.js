// Lightning Data Service's getRecord for the preview: hands the component the sample record chosen by the page.
export class getRecord {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }

    connect() {}

    disconnect() {}

    update(config) {
        if (!config.recordId) {
            return;
        }
        const sample = window.sfpPreview.records[config.recordId];
        if (sample.error) {
            this.dataCallback({ data: undefined, error: sample.error });
        } else {
            this.dataCallback({ data: sample, error: undefined });
        }
    }
}
