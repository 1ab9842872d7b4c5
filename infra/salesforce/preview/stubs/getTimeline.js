// The Apex controller's getTimeline for the preview: the sample score history chosen by the page.
export default class getTimeline {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }

    connect() {}

    disconnect() {}

    update(config) {
        if (config.opportunityId) {
            this.dataCallback({ data: window.sfpPreview.timelines[config.opportunityId], error: undefined });
        }
    }
}
