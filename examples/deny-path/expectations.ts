// Hand-written promises for this example (a raw AuthorizationPolicy, which is not an
// intent and promises nothing by itself). The semantics harness proves them; see the
// README's "What the tests prove".
import { Expectation } from '../../src/core/expectations';

const productpage = { namespace: 'bookinfo', labels: { app: 'productpage' } };
const from = { namespace: 'bookinfo', serviceAccount: 'bookinfo-reviews' };

export const expectations: Expectation[] = [
  { promise: '/admin is denied to everyone', request: { from, to: productpage, host: 'productpage', port: 9080, path: '/admin' }, expect: { status: 403, policies: { 'deny-admin': 'denies' } } },
  { promise: 'paths under /admin/ are denied', request: { from, to: productpage, host: 'productpage', port: 9080, path: '/admin/users' }, expect: { status: 403 } },
  { promise: 'the query string does not get around it', request: { from, to: productpage, host: 'productpage', port: 9080, path: '/admin?x=1' }, expect: { status: 403 } },
  { promise: 'other paths are not denied', request: { from, to: productpage, host: 'productpage', port: 9080, path: '/productpage' }, expect: { status: 200, policies: { 'deny-admin': 'no match' } } },
  { promise: '/administrator is another path', request: { from, to: productpage, host: 'productpage', port: 9080, path: '/administrator' }, expect: { status: 200 } },
];
