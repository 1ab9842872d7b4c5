import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import getTimeline from '@salesforce/apex/SfpScoreTimelineController.getTimeline';
import { band, formatPoints, parseLines, parsePoints, timeAgo } from './scoreText';

const TRENDS = {
    Improving: { arrow: '\u25B2', word: 'up', css: 'trend trend-up' },
    Declining: { arrow: '\u25BC', word: 'down', css: 'trend trend-down' },
    Steady: { arrow: '\u25B6', word: 'steady', css: 'trend trend-steady' }
};

// The sparkline's drawing box; the SVG scales to the card's width.
const SPARK_WIDTH = 300;
const SPARK_HEIGHT = 60;
const RING_RADIUS = 42;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;

/**
 * The SfPredictor score card: reads the fields the worker writes through Lightning Data Service and
 * the score's history through a small Apex controller (Field History Tracking), and shows them.
 * Field API names are App Builder properties; the defaults are the worker's defaults.
 */
export default class SfpScoreCard extends LightningElement {
    @api recordId;
    @api objectApiName = 'Opportunity';
    @api cardTitle = 'Win Probability';
    @api probabilityField = 'SfP_Win_Probability__c';
    @api scoreChangeField = 'SfP_Score_Change__c';
    @api scoreTrendField = 'SfP_Score_Trend__c';
    @api nextActivity1Field = 'SfP_Next_Activity_1__c';
    @api nextActivity2Field = 'SfP_Next_Activity_2__c';
    @api nextActivity3Field = 'SfP_Next_Activity_3__c';
    @api topFactorsField = 'SfP_Top_Factors__c';
    @api activityGainsField = 'SfP_Activity_Gains__c';
    @api scoredAtField = 'SfP_Scored_At__c';
    @api modelVersionField = 'SfP_Model_Version__c';
    @api hideTimeline = false;

    record;
    error;
    timeline;
    showHistoryTable = false;

    /** Optional, so a field the admin has not deployed or cannot see empties its part instead of failing the card. */
    get optionalFields() {
        const object = this.objectApiName || 'Opportunity';
        return [
            this.probabilityField,
            this.scoreChangeField,
            this.scoreTrendField,
            this.nextActivity1Field,
            this.nextActivity2Field,
            this.nextActivity3Field,
            this.topFactorsField,
            this.activityGainsField,
            this.scoredAtField,
            this.modelVersionField
        ]
            .filter((name) => name)
            .map((name) => `${object}.${name}`);
    }

    @wire(getRecord, { recordId: '$recordId', optionalFields: '$optionalFields' })
    wiredRecord({ data, error }) {
        if (data) {
            this.record = data;
            this.error = undefined;
        } else if (error) {
            this.record = undefined;
            this.error = error;
        }
    }

    get timelineParameters() {
        return !this.hideTimeline && this.recordId ? this.recordId : undefined;
    }

    @wire(getTimeline, { opportunityId: '$timelineParameters', probabilityField: '$probabilityField' })
    wiredTimeline({ data }) {
        // A failed history read only hides the timeline: the score itself is still worth showing.
        this.timeline = data;
    }

    value(name) {
        const field = name && this.record && this.record.fields ? this.record.fields[name] : undefined;
        return field ? field.value : null;
    }

    get isLoading() {
        return !this.record && !this.error;
    }

    get hasError() {
        return Boolean(this.error);
    }

    get errorMessage() {
        const error = this.error;
        if (!error) {
            return '';
        }
        if (error.body && Array.isArray(error.body)) {
            return error.body.map((e) => e.message).join(', ');
        }
        if (error.body && error.body.message) {
            return error.body.message;
        }
        return error.message || error.statusText || 'Unknown error';
    }

    get probability() {
        const value = this.value(this.probabilityField);
        return value === null || value === undefined || value === '' ? null : Number(value);
    }

    get isNotScored() {
        return Boolean(this.record) && this.probability === null;
    }

    get isScored() {
        return Boolean(this.record) && this.probability !== null;
    }

    get probabilityText() {
        return `${Math.round(this.probability)}%`;
    }

    get ringLabel() {
        return `Win probability ${this.probability.toFixed(1)} percent`;
    }

    get ringClass() {
        return `ring-value band-${band(this.probability)}`;
    }

    get ringDash() {
        const filled = (Math.min(Math.max(this.probability, 0), 100) / 100) * RING_LENGTH;
        return `${filled.toFixed(2)} ${RING_LENGTH.toFixed(2)}`;
    }

    get change() {
        const value = this.value(this.scoreChangeField);
        return value === null || value === undefined || value === '' ? null : Number(value);
    }

    get trendName() {
        const written = this.value(this.scoreTrendField);
        if (TRENDS[written]) {
            return written;
        }
        if (this.change === null) {
            return null;
        }
        if (this.change > 0) {
            return 'Improving';
        }
        return this.change < 0 ? 'Declining' : 'Steady';
    }

    get hasTrend() {
        return this.trendName !== null;
    }

    get trend() {
        return TRENDS[this.trendName];
    }

    get trendArrow() {
        return this.trend.arrow;
    }

    get trendClass() {
        return this.trend.css;
    }

    get changeText() {
        return this.change === null ? 'first score' : `${formatPoints(this.change)} since the last score`;
    }

    get trendLabel() {
        return `Trend ${this.trend.word}: ${this.changeText}`;
    }

    get nextActivities() {
        return [this.nextActivity1Field, this.nextActivity2Field, this.nextActivity3Field]
            .map((name) => parsePoints(this.value(name)))
            .filter((entry) => entry !== null)
            .map((entry, index) => ({
                key: `next-${index}`,
                rank: index + 1,
                label: entry.label,
                gain: entry.points === null ? '' : formatPoints(entry.points)
            }));
    }

    get hasNextActivities() {
        return this.nextActivities.length > 0;
    }

    get gains() {
        const entries = parseLines(this.value(this.activityGainsField)).filter((e) => e.points !== null);
        const largest = Math.max(1, ...entries.map((e) => Math.abs(e.points)));
        return entries.map((entry, index) => ({
            key: `gain-${index}`,
            label: entry.label,
            text: formatPoints(entry.points),
            description: `${entry.label}: ${formatPoints(entry.points)}`,
            barClass: entry.points >= 0 ? 'bar bar-up' : 'bar bar-down',
            barStyle: `width: ${Number(((Math.abs(entry.points) / largest) * 100).toFixed(1))}%`
        }));
    }

    get hasGains() {
        return this.gains.length > 0;
    }

    get factors() {
        return parseLines(this.value(this.topFactorsField)).map((entry, index) => {
            const up = entry.points !== null && entry.points > 0;
            const down = entry.points !== null && entry.points < 0;
            return {
                key: `factor-${index}`,
                label: entry.label,
                sign: up ? '+' : down ? '\u2212' : '\u00B7',
                signWord: up ? 'raises the score' : down ? 'lowers the score' : '',
                points: entry.points === null ? '' : formatPoints(entry.points),
                css: up ? 'factor factor-up' : down ? 'factor factor-down' : 'factor'
            };
        });
    }

    get hasFactors() {
        return this.factors.length > 0;
    }

    get scoredText() {
        const scoredAt = this.value(this.scoredAtField);
        const model = this.value(this.modelVersionField);
        const parts = [];
        if (scoredAt) {
            parts.push(`scored ${timeAgo(new Date(scoredAt).getTime(), Date.now())}`);
        }
        if (model) {
            parts.push(`model ${model}`);
        }
        return parts.join(' \u00B7 ');
    }

    get scoredTitle() {
        const scoredAt = this.value(this.scoredAtField);
        return scoredAt ? new Date(scoredAt).toISOString() : '';
    }

    // ----- the timeline -----

    get timelinePoints() {
        const points = this.timeline && this.timeline.points ? this.timeline.points : [];
        return points
            .map((p) => ({ at: new Date(p.occurredAt).getTime(), value: Number(p.value) }))
            .filter((p) => !Number.isNaN(p.at) && !Number.isNaN(p.value))
            .sort((a, b) => a.at - b.at);
    }

    /** Hidden unless tracking is on and there are two scores to draw a line between. */
    get hasTimeline() {
        return this.isScored && Boolean(this.timeline && this.timeline.tracked) && this.timelinePoints.length >= 2;
    }

    get timeRange() {
        const points = this.timelinePoints;
        const start = points[0].at;
        const end = points[points.length - 1].at;
        return { start, span: Math.max(end - start, 1) };
    }

    x(at) {
        const { start, span } = this.timeRange;
        return ((at - start) / span) * SPARK_WIDTH;
    }

    y(value) {
        return SPARK_HEIGHT - (Math.min(Math.max(value, 0), 100) / 100) * SPARK_HEIGHT;
    }

    get sparkViewBox() {
        return `-4 -4 ${SPARK_WIDTH + 8} ${SPARK_HEIGHT + 20}`;
    }

    get sparkLine() {
        return this.timelinePoints.map((p) => `${this.x(p.at).toFixed(1)},${this.y(p.value).toFixed(1)}`).join(' ');
    }

    get sparkLast() {
        const points = this.timelinePoints;
        const last = points[points.length - 1];
        return { cx: this.x(last.at).toFixed(1), cy: this.y(last.value).toFixed(1) };
    }

    get sparkMarks() {
        const { start, span } = this.timeRange;
        const marks = this.timeline && this.timeline.marks ? this.timeline.marks : [];
        return marks
            .map((mark, index) => ({ at: new Date(mark.occurredAt).getTime(), mark, index }))
            .filter((m) => m.at >= start && m.at <= start + span)
            .map(({ at, mark, index }) => ({
                key: `mark-${index}`,
                x: this.x(at).toFixed(1),
                isStage: mark.kind === 'stage',
                title: `${new Date(at).toISOString().slice(0, 10)}: ${mark.label}`
            }));
    }

    get sparkLabel() {
        const points = this.timelinePoints;
        const first = points[0];
        const last = points[points.length - 1];
        const marks = this.sparkMarks;
        const stages = marks.filter((m) => m.isStage).length;
        const day = (at) => new Date(at).toISOString().slice(0, 10);
        return (
            `Win probability over time: ${Math.round(first.value)}% on ${day(first.at)} to ` +
            `${Math.round(last.value)}% on ${day(last.at)}, ${points.length} scores, ` +
            `${stages} stage changes and ${marks.length - stages} activities marked.`
        );
    }

    get historyRows() {
        return this.timelinePoints.map((p, index) => ({
            key: `row-${index}`,
            day: new Date(p.at).toISOString().slice(0, 16).replace('T', ' '),
            value: `${p.value.toFixed(1)}%`
        }));
    }

    get historyToggleLabel() {
        return this.showHistoryTable ? 'Hide the history table' : 'Show the history as a table';
    }

    get historyExpanded() {
        return this.showHistoryTable ? 'true' : 'false';
    }

    toggleHistory() {
        this.showHistoryTable = !this.showHistoryTable;
    }
}
