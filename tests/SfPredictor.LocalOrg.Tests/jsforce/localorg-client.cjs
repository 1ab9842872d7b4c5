// jsforce 3, a Salesforce client nobody here wrote, against a local org the .NET test started.
// Every check prints "ok <what>"; the first failure ends the script with exit code 1 and its reason.
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const jsforce = require('jsforce');

const url = process.env.SFP_ORG_URL.replace(/\/$/, '');
const clientId = process.env.SFP_CLIENT_ID;
const clientSecret = process.env.SFP_CLIENT_SECRET;
const privateKey = fs.readFileSync(process.env.SFP_PRIVATE_KEY, 'utf8');
const version = '62.0';

const ok = (what) => console.log(`ok ${what}`);

async function expectError(promise, errorCode) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.errorCode ?? e.name, errorCode, `expected ${errorCode}, got ${e.errorCode ?? e.name}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${errorCode}, but the call succeeded`);
}

function jwtAssertion(subject) {
  const encode = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${encode({ alg: 'RS256' })}.${encode({ iss: clientId, sub: subject, aud: url, exp: Math.floor(Date.now() / 1000) + 300 })}`;
  return `${body}.${crypto.sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

async function main() {
  // Client credentials login, then the identity URL the token response points to.
  const conn = new jsforce.Connection({ oauth2: { loginUrl: url, clientId, clientSecret }, version });
  const user = await conn.authorize({ grant_type: 'client_credentials' });
  assert.equal(conn.instanceUrl, url);
  const identity = await conn.identity();
  assert.equal(identity.user_id, user.id);
  ok('client credentials login and identity');

  // JWT bearer login as the same user.
  const jwt = new jsforce.Connection({ oauth2: { loginUrl: url, clientId }, version });
  await jwt.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwtAssertion(identity.username) });
  assert.equal((await jwt.query('SELECT COUNT() FROM Opportunity')).done, true);
  ok('JWT bearer login');

  // query + queryMore over several pages (the org pages by 200).
  let page = await conn.query('SELECT Id, Subject, WhatId FROM Task ORDER BY Id', { autoFetch: false });
  const total = page.totalSize;
  let seen = page.records.length;
  let pages = 1;
  while (!page.done) {
    page = await conn.queryMore(page.nextRecordsUrl);
    seen += page.records.length;
    pages++;
  }
  assert.equal(seen, total);
  assert.ok(pages >= 3, `only ${pages} pages`);
  ok(`query and queryMore: ${total} records in ${pages} pages`);

  // Single-record create, retrieve, update, delete.
  const [opportunity, other] = (await conn.query('SELECT Id, Name FROM Opportunity ORDER BY Id LIMIT 2')).records;
  const created = await conn.sobject('Task').create({ Subject: 'jsforce call', WhatId: opportunity.Id, ActivityDate: '2025-03-04' });
  assert.equal(created.success, true);
  const task = await conn.sobject('Task').retrieve(created.id);
  assert.equal(task.Subject, 'jsforce call');
  assert.equal(task.Status, 'Not Started');
  const updated = await conn.sobject('Task').update({ Id: created.id, Status: 'Completed' });
  assert.equal(updated.success, true);
  assert.equal((await conn.sobject('Task').retrieve(created.id)).Status, 'Completed');
  const deleted = await conn.sobject('Task').destroy(created.id);
  assert.equal(deleted.success, true);
  await expectError(conn.sobject('Task').retrieve(created.id), 'NOT_FOUND');
  ok('single-record create, retrieve, update, delete');

  // sObject Collections update: one record too long for Name fails, the other is saved.
  const results = await conn.sobject('Opportunity').update(
    [{ Id: opportunity.Id, NextStep: 'Send the proposal' }, { Id: other.Id, Name: 'x'.repeat(300) }],
    { allOrNone: false });
  assert.equal(results[0].success, true);
  assert.equal(results[1].success, false);
  assert.equal(results[1].errors[0].statusCode ?? results[1].errors[0].errorCode, 'STRING_TOO_LONG');
  assert.equal((await conn.sobject('Opportunity').retrieve(opportunity.Id)).NextStep, 'Send the proposal');
  ok('collections update with a partial failure');

  // describe lists standard fields the export may lack; limits has a real org's keys.
  const describe = await conn.sobject('Opportunity').describe();
  const names = describe.fields.map((f) => f.name);
  for (const name of ['NextStep', 'Description', 'StageName', 'Amount']) assert.ok(names.includes(name), `describe lacks ${name}`);
  assert.equal(describe.fields.find((f) => f.name === 'Name').length, 120);
  const limits = await conn.limits();
  assert.ok(limits.DailyApiRequests.Max > 0);
  assert.ok(limits.DailyBulkV2QueryJobs.Max > 0);
  ok('describe and limits');

  // Bulk API 2.0 query and ingest.
  const count = (await conn.query('SELECT COUNT() FROM Opportunity')).totalSize;
  const bulkRecords = await (await conn.bulk2.query('SELECT Id, Name FROM Opportunity', { pollInterval: 50, pollTimeout: 60000 })).toArray();
  assert.equal(bulkRecords.length, count);
  const ingest = await conn.bulk2.loadAndWaitForResults({
    object: 'Opportunity', operation: 'update', pollInterval: 50, pollTimeout: 60000,
    input: bulkRecords.slice(0, 5).map((r) => ({ Id: r.Id, Description: 'bulk ingest' })),
  });
  assert.equal(ingest.successfulResults.length, 5);
  assert.equal(ingest.failedResults.length, 0);
  assert.equal((await conn.sobject('Opportunity').retrieve(bulkRecords[0].Id)).Description, 'bulk ingest');
  ok(`Bulk 2.0 query (${bulkRecords.length} records) and ingest`);

  // GROUP BY with HAVING over an aggregate and a grouped field: the groups it keeps are those the plain grouping shows.
  const grouped = (await conn.query('SELECT StageName, COUNT(Id) n FROM Opportunity GROUP BY StageName')).records;
  const kept = (await conn.query("SELECT StageName, COUNT(Id) n FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 5 OR StageName = 'Closed Won'")).records;
  const expected = grouped.filter((g) => g.n > 5 || g.StageName === 'Closed Won').map((g) => g.StageName).sort();
  assert.ok(expected.length > 0, 'no stage has more than 5 opportunities');
  assert.deepEqual(kept.map((g) => g.StageName).sort(), expected);
  ok(`GROUP BY with HAVING: ${kept.length} of ${grouped.length} stages`);

  // Error shapes.
  await expectError(conn.query('SELECT FROM Opportunity'), 'MALFORMED_QUERY');
  await expectError(conn.query('SELECT Nope__c FROM Opportunity'), 'INVALID_FIELD');
  await expectError(conn.sobject('Opportunity').update({ Id: opportunity.Id, Name: 'y'.repeat(300) }).then((r) => {
    if (!r.success) { const e = new Error(r.errors[0].message); e.errorCode = r.errors[0].statusCode ?? r.errors[0].errorCode; throw e; }
    return r;
  }), 'STRING_TOO_LONG');
  const stale = new jsforce.Connection({ instanceUrl: url, accessToken: '00D000000000001!stale', version });
  await expectError(stale.query('SELECT Id FROM Opportunity'), 'INVALID_SESSION_ID');
  ok('error shapes');
}

main().then(() => console.log('done'), (e) => {
  console.error(`FAILED: ${e.stack ?? e}`);
  process.exit(1);
});
