// Renders the score card for sample records as Salesforce would on an Opportunity page: ?sample=scoredUp
// shows one; without it the page shows one card per state side by side.
import { createElement } from 'lwc';
import SfpScoreCard from 'c/sfpScoreCard';
import scoredUp from '../force-app/main/default/lwc/sfpScoreCard/__tests__/data/scoredUp.json';
import scoredDown from '../force-app/main/default/lwc/sfpScoreCard/__tests__/data/scoredDown.json';
import scoredSteady from '../force-app/main/default/lwc/sfpScoreCard/__tests__/data/scoredSteady.json';
import noRecommendations from '../force-app/main/default/lwc/sfpScoreCard/__tests__/data/noRecommendations.json';
import notScored from '../force-app/main/default/lwc/sfpScoreCard/__tests__/data/notScored.json';
import timeline from '../force-app/main/default/lwc/sfpScoreCard/__tests__/data/timeline.json';

const HOUR = 3600 * 1000;
const samples = {
    scoredUp: { record: scoredUp, hoursAgo: 3 },
    scoredDown: { record: scoredDown, hoursAgo: 26 },
    scoredSteady: { record: scoredSteady, hoursAgo: 1 },
    noRecommendations: { record: noRecommendations, hoursAgo: 5 },
    notScored: { record: notScored },
    error: { record: { error: { body: { message: 'Insufficient access rights on cross-reference id' }, status: 403 } } }
};

const untracked = { tracked: false, points: [], marks: [] };
const records = {};
const timelines = {};
for (const [name, sample] of Object.entries(samples)) {
    const record = JSON.parse(JSON.stringify(sample.record));
    if (sample.hoursAgo !== undefined) {
        record.fields.SfP_Scored_At__c.value = new Date(Date.now() - sample.hoursAgo * HOUR).toISOString();
    }
    records[name] = record;
    timelines[name] = name === 'scoredUp' ? timeline : untracked;
}
window.sfpPreview = { records, timelines };

// The record Id stands for the sample, so the stubs know which data each card asks for.
const wanted = new URLSearchParams(window.location.search).get('sample');
const names = wanted && samples[wanted] ? [wanted] : ['scoredUp', 'scoredDown', 'noRecommendations', 'notScored', 'error'];
for (const name of names) {
    const slot = document.createElement('div');
    slot.className = 'slot';
    slot.dataset.sample = name;
    const element = createElement('c-sfp-score-card', { is: SfpScoreCard });
    element.recordId = name;
    slot.appendChild(element);
    document.querySelector('#cards').appendChild(slot);
}
