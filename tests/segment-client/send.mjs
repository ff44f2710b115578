// Sends a visitor's journey to Tandem with Segment's unmodified Node client:
// anonymous page views with UTM context, then an identify that links them, then a track.
// Usage: node send.mjs BASE_URL WRITE_KEY ANONYMOUS_ID USER_ID EMAIL
import { Analytics } from '@segment/analytics-node';

const [host, writeKey, anonymousId, userId, email] = process.argv.slice(2);
const analytics = new Analytics({ writeKey, host, flushAt: 3, flushInterval: 200, maxRetries: 2 });
const failures = [];
analytics.on('error', (err) => failures.push(String(err?.reason ?? err?.message ?? err)));

const campaign = { name: 'spring-launch', source: 'google', medium: 'cpc', term: 'pipeline monitoring' };
analytics.page({ anonymousId, name: 'Pricing', properties: { url: `${host}/pricing`, path: '/pricing' },
  context: { campaign, page: { url: `${host}/pricing?utm_source=google`, referrer: 'https://www.google.com/' } } });
analytics.track({ anonymousId, event: 'Whitepaper Downloaded', properties: { asset: 'State of Data Reliability' }, context: { campaign } });
analytics.identify({ userId, anonymousId, traits: { email, firstName: 'Sam', lastName: 'Rivera', company: 'Northwind Logistics', title: 'Head of Data' } });
analytics.track({ userId, event: 'Demo Requested', properties: { plan: 'enterprise' } });
analytics.track({ userId, event: 'Demo Requested', messageId: 'fixed-message-id-1', properties: { plan: 'enterprise' } });
analytics.track({ userId, event: 'Demo Requested', messageId: 'fixed-message-id-1', properties: { plan: 'enterprise' } });

await analytics.closeAndFlush({ timeout: 10000 });
if (failures.length) {
  console.error('delivery failed: ' + failures.join('; '));
  process.exit(1);
}
console.log('delivered');
