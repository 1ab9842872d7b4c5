import { createElement } from 'lwc';
import SfpScoreCard from 'c/sfpScoreCard';
import { getRecord } from 'lightning/uiRecordApi';
import getTimeline from '@salesforce/apex/SfpScoreTimelineController.getTimeline';

const scoredUp = require('./data/scoredUp.json');
const scoredDown = require('./data/scoredDown.json');
const scoredSteady = require('./data/scoredSteady.json');
const noRecommendations = require('./data/noRecommendations.json');
const notScored = require('./data/notScored.json');
const timeline = require('./data/timeline.json');

jest.mock(
    '@salesforce/apex/SfpScoreTimelineController.getTimeline',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

const HOUR = 3600 * 1000;

function scoredHoursAgo(record, hours) {
    const copy = JSON.parse(JSON.stringify(record));
    copy.fields.SfP_Scored_At__c.value = new Date(Date.now() - hours * HOUR).toISOString();
    return copy;
}

function mount(properties = {}) {
    const element = createElement('c-sfp-score-card', { is: SfpScoreCard });
    Object.assign(element, { recordId: '006000000000001AAA' }, properties);
    document.body.appendChild(element);
    return element;
}

// Lets the wire adapters' emitted values re-render the component.
function rendered() {
    return Promise.resolve().then(() => Promise.resolve());
}

function byId(element, id) {
    return element.shadowRoot.querySelector(`[data-id="${id}"]`);
}

function texts(element, selector) {
    return Array.from(element.shadowRoot.querySelectorAll(selector)).map((e) => e.textContent.replace(/\s+/g, ' ').trim());
}

describe('c-sfp-score-card', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('asks Lightning Data Service for the worker default fields as optional fields', async () => {
        const element = mount();
        await rendered();

        const config = getRecord.getLastConfig();
        expect(config.recordId).toBe('006000000000001AAA');
        expect(config.optionalFields).toEqual([
            'Opportunity.SfP_Win_Probability__c',
            'Opportunity.SfP_Score_Change__c',
            'Opportunity.SfP_Score_Trend__c',
            'Opportunity.SfP_Next_Activity_1__c',
            'Opportunity.SfP_Next_Activity_2__c',
            'Opportunity.SfP_Next_Activity_3__c',
            'Opportunity.SfP_Top_Factors__c',
            'Opportunity.SfP_Activity_Gains__c',
            'Opportunity.SfP_Scored_At__c',
            'Opportunity.SfP_Model_Version__c'
        ]);
        expect(element.shadowRoot.querySelector('.state-loading')).not.toBeNull();
    });

    it('reads the field names set in App Builder', async () => {
        mount({ probabilityField: 'Custom_Chance__c', modelVersionField: 'Custom_Model__c' });
        await rendered();

        const config = getRecord.getLastConfig();
        expect(config.optionalFields).toContain('Opportunity.Custom_Chance__c');
        expect(config.optionalFields).toContain('Opportunity.Custom_Model__c');
        expect(config.optionalFields).not.toContain('Opportunity.SfP_Win_Probability__c');
        expect(getTimeline.getLastConfig()).toEqual({ opportunityId: '006000000000001AAA', probabilityField: 'Custom_Chance__c' });
    });

    it('shows a rising score with its ring, arrow, recommendations, gains, factors and age', async () => {
        const element = mount();
        getRecord.emit(scoredHoursAgo(scoredUp, 3));
        await rendered();

        expect(byId(element, 'probability').textContent).toBe('64%');
        expect(byId(element, 'ring').getAttribute('aria-label')).toBe('Win probability 64.2 percent');
        expect(element.shadowRoot.querySelector('.ring-value').getAttribute('class')).toContain('band-high');
        const trend = byId(element, 'trend');
        expect(trend.className).toContain('trend-up');
        expect(trend.textContent).toContain('\u25B2');
        expect(trend.textContent).toContain('Trend up: +9 pts since the last score');
        expect(texts(element, '[data-id="next-activities"] .next-label')).toEqual(['Demo', 'Meeting', 'Call']);
        expect(texts(element, '[data-id="next-activities"] .gain')).toEqual(['+12 pts', '+6 pts', '+0.7 pts']);
        expect(texts(element, '[data-id="gains"] .gain-kind')).toEqual(['Demo', 'Meeting', 'Call', 'Email', 'Task']);
        const bars = Array.from(element.shadowRoot.querySelectorAll('[data-id="gains"] .bar'));
        expect(bars[0].style.width).toBe('100%');
        expect(bars[1].style.width).toBe('50%');
        expect(bars[4].className).toContain('bar-down');
        expect(element.shadowRoot.querySelectorAll('[data-id="gains"] li')[0].getAttribute('aria-label')).toBe('Demo: +12 pts');
        const factors = Array.from(element.shadowRoot.querySelectorAll('[data-id="factors"] li'));
        expect(factors.map((f) => f.querySelector('.factor-sign').textContent)).toEqual(['+', '+', '\u2212', '\u2212']);
        expect(factors[2].textContent).toContain('Amount 3x the typical deal');
        expect(factors[2].textContent).toContain('lowers the score');
        expect(byId(element, 'scored-text').textContent).toBe('scored 3 hours ago \u00B7 model 2026-12-01T03-00-00Z');
    });

    it('shows a falling score in red with a down arrow', async () => {
        const element = mount();
        getRecord.emit(scoredHoursAgo(scoredDown, 26));
        await rendered();

        expect(byId(element, 'probability').textContent).toBe('24%');
        expect(element.shadowRoot.querySelector('.ring-value').getAttribute('class')).toContain('band-low');
        expect(byId(element, 'trend').className).toContain('trend-down');
        expect(byId(element, 'trend').textContent).toContain('\u25BC');
        expect(byId(element, 'trend').textContent).toContain('\u221212 pts since the last score');
        expect(texts(element, '[data-id="next-activities"] .next-label')).toEqual(['Meeting', 'Call']);
        expect(byId(element, 'scored-text').textContent).toContain('scored 1 day ago');
    });

    it('shows a steady score with a sideways arrow', async () => {
        const element = mount();
        getRecord.emit(scoredHoursAgo(scoredSteady, 0.1));
        await rendered();

        expect(byId(element, 'probability').textContent).toBe('47%');
        expect(element.shadowRoot.querySelector('.ring-value').getAttribute('class')).toContain('band-medium');
        expect(byId(element, 'trend').className).toContain('trend-steady');
        expect(byId(element, 'trend').textContent).toContain('\u25B6');
        expect(byId(element, 'scored-text').textContent).toContain('scored 6 minutes ago');
    });

    it('says so when no activity is worth recommending, and still shows the gains and factors', async () => {
        const element = mount();
        getRecord.emit(noRecommendations);
        await rendered();

        expect(byId(element, 'next-activities')).toBeNull();
        expect(byId(element, 'no-recommendations').textContent).toContain('No activity is expected to raise the chance');
        expect(texts(element, '[data-id="gains"] .gain-value')).toEqual(['+0.2 pts', '+0.1 pts', '\u22120.3 pts']);
        expect(texts(element, '[data-id="factors"] .factor-label')).toEqual(['Stage unchanged for 120 days']);
    });

    it('shows the empty state before the first score', async () => {
        const element = mount();
        getRecord.emit(notScored);
        await rendered();

        expect(byId(element, 'not-scored').textContent).toContain('Not scored yet');
        expect(byId(element, 'scored')).toBeNull();
        expect(byId(element, 'error')).toBeNull();
    });

    it('shows the error state with the message when the record cannot be read', async () => {
        const element = mount();
        getRecord.error({ message: 'You do not have access to the Apex class' }, 403, 'Forbidden');
        await rendered();

        const error = byId(element, 'error');
        expect(error.getAttribute('role')).toBe('alert');
        expect(error.textContent).toContain('The score could not be loaded.');
        expect(error.textContent).toContain('You do not have access');
        expect(byId(element, 'scored')).toBeNull();
    });

    it('draws the score timeline with stage changes and activities, and a table for keyboard and screen reader users', async () => {
        const element = mount();
        getRecord.emit(scoredUp);
        getTimeline.emit(timeline);
        await rendered();

        const section = byId(element, 'timeline');
        expect(section).not.toBeNull();
        const svg = section.querySelector('svg');
        expect(svg.getAttribute('aria-label')).toBe(
            'Win probability over time: 31% on 2026-10-01 to 64% on 2026-12-03, 10 scores, 2 stage changes and 3 activities marked.'
        );
        expect(section.querySelector('polyline').getAttribute('points').split(' ')).toHaveLength(10);
        expect(section.querySelectorAll('.mark-stage')).toHaveLength(2);
        expect(section.querySelectorAll('.mark-activity')).toHaveLength(3);

        const toggle = byId(element, 'history-toggle');
        expect(toggle.tagName).toBe('BUTTON');
        expect(toggle.getAttribute('aria-expanded')).toBe('false');
        toggle.click();
        await rendered();

        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        expect(element.shadowRoot.querySelectorAll('[data-id="history-table"] tbody tr')).toHaveLength(10);
    });

    it('hides the timeline when field history tracking is off', async () => {
        const element = mount();
        getRecord.emit(scoredUp);
        getTimeline.emit({ tracked: false, points: [], marks: [] });
        await rendered();

        expect(byId(element, 'scored')).not.toBeNull();
        expect(byId(element, 'timeline')).toBeNull();
    });

    it('keeps the score when the history cannot be read', async () => {
        const element = mount();
        getRecord.emit(scoredUp);
        getTimeline.error();
        await rendered();

        expect(byId(element, 'probability').textContent).toBe('64%');
        expect(byId(element, 'timeline')).toBeNull();
    });
});
