// Stands in for the `whatwg-url` package in Lambda bundles. node-fetch 2 (under jsforce and the HubSpot
// client) takes `require('url').URL || whatwgUrl.URL`, and Node always has `url.URL`, so the package (and
// its 265 KB Unicode table, tr46) is never used: only its name must resolve.
'use strict';
module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };
