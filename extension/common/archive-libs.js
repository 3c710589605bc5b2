// The two libraries the evidence package is written with, in one place:
// warcio (Webrecorder's WARC reader and writer) and fflate (a small zip
// writer and reader). Extension pages and the background are ES modules
// loaded as they are, so tools/build-ext.mjs bundles this one file with
// esbuild into dist/*/common/archive-libs.js; Node (tests, tools) resolves
// the packages from node_modules. Nothing else in extension/ imports a
// package by name.

export { WARCRecord, WARCSerializer, WARCParser, getSurt } from 'warcio';
export { zipSync, unzipSync } from 'fflate';
