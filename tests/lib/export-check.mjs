// The sightings exports checked against the published definitions vendored
// in tests/vendor/ (see tests/vendor/README.md); shared by the unit tests
// (tests/unit/exports.test.mjs) and the end-to-end test of the panel's
// exports (tests/e2e/sightings.test.mjs).
// - STIX 2.1: the bundle and every object against the OASIS
//   cti-stix2-json-schemas (ajv, JSON Schema 2020-12), the community
//   observables against their own schemas (muchdogesec/stix2extensions),
//   every reference resolving inside the bundle;
// - MISP: the event's own fields as MISP's import reads them, every
//   attribute type and category against MISP's describeTypes (PyMISP's
//   copy), every object against its MISP/misp-objects definition (template
//   uuid and version, relations, attribute types, categories the type
//   allows, required relations, single relations not repeated) and every
//   object reference's relationship against the relationships list.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const VENDOR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'vendor');
const OASIS = path.join(VENDOR, 'cti-stix2-json-schemas', 'schemas');
const OASIS_URL = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas';
/** Extension-definition ids of the community observables (stix2extensions' own). */
const COMMUNITY_EXTENSIONS = {
  'cryptocurrency-wallet': 'extension-definition--be78509e-6958-51b1-8b26-d17ee0eba2d7',
  'payment-card': 'extension-definition--b160c6ee-26b6-591c-8885-c192db67cac9',
  'bank-account': 'extension-definition--f19f3291-6a84-5674-b311-d75a925d5bd9',
  'phone-number': 'extension-definition--14a97ee2-e666-5ada-a6bd-b7177f79e211',
};

/** @param {string} dir @returns {Promise<string[]>} */
async function jsonFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsonFiles(p)));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out;
}
export const readJson = async (/** @type {string} */ p) => JSON.parse(await readFile(p, 'utf8'));

/** @type {Promise<{ajv: any, community: Record<string, any>, files: Map<string, string>}>|null} */
let loaded = null;
function stixAjv() {
  loaded ??= (async () => {
    // The OASIS patterns escape "-" outside classes, which a Unicode regex refuses.
    const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    // ajv-formats has no idn-hostname (the url observable's schemas use it): labels of 1-63 characters, no spaces or dots at the ends.
    ajv.addFormat('idn-hostname', (/** @type {string} */ h) => h.length <= 253 && h.split('.').every((l) => l.length >= 1 && l.length <= 63 && !/[\s/:@]/u.test(l)));
    /** type -> schema id, for the types the specification defines */
    const files = new Map();
    for (const f of await jsonFiles(OASIS)) {
      const s = await readJson(f);
      ajv.addSchema(s);
      // The community schemas refer to the OASIS ones by their master-branch URL.
      ajv.addSchema({ ...s, $id: s.$id.replace('/stix2.1/', '/master/').replace(/^http:/, 'https:') });
      const dir = path.basename(path.dirname(f));
      if (['sdos', 'sros', 'observables'].includes(dir)) files.set(path.basename(f, '.json'), `${OASIS_URL}/${dir}/${path.basename(f)}`);
    }
    /** @type {Record<string, any>} */
    const community = {};
    for (const f of await jsonFiles(path.join(VENDOR, 'stix2extensions', 'schemas', 'scos'))) community[path.basename(f, '.json')] = ajv.compile(await readJson(f));
    return { ajv, community, files };
  })();
  return loaded;
}

/**
 * Asserts a STIX 2.1 bundle is valid: the bundle, every object against its
 * schema (OASIS, else the community observable's, else a custom `x-`
 * observable against the observable core), ids unique, references resolved.
 * @param {any} bundle
 * @returns {Promise<Map<string, number>>} objects by type
 */
export async function checkStix(bundle) {
  const { ajv, community, files } = await stixAjv();
  const validBundle = ajv.getSchema(`${OASIS_URL}/common/bundle.json`);
  assert.ok(validBundle);
  assert.ok(validBundle(bundle), JSON.stringify(validBundle.errors?.slice(0, 5), null, 1));
  const types = new Map();
  for (const o of bundle.objects) {
    types.set(o.type, (types.get(o.type) ?? 0) + 1);
    const file = files.get(o.type);
    if (file) {
      const v = ajv.getSchema(file);
      assert.ok(v(o), `${o.type} ${o.id}: ${JSON.stringify(v.errors?.slice(0, 3))}`);
    } else if (community[o.type]) {
      assert.ok(community[o.type](o), `${o.type} ${o.id}: ${JSON.stringify(community[o.type].errors?.slice(0, 3))}`);
      assert.deepEqual(Object.keys(o.extensions), [COMMUNITY_EXTENSIONS[/** @type {keyof typeof COMMUNITY_EXTENSIONS} */ (o.type)]]);
    } else {
      assert.match(o.type, /^x-[a-z0-9-]+$/, `an object of a type nobody defines: ${o.type}`);
      const core = ajv.getSchema(`${OASIS_URL}/common/cyber-observable-core.json`);
      assert.ok(core(o), JSON.stringify(core.errors));
    }
  }
  const ids = new Set(bundle.objects.map((/** @type {any} */ o) => o.id));
  assert.equal(ids.size, bundle.objects.length, 'ids are unique');
  for (const o of bundle.objects) {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'extensions') continue;
      const refs = k.endsWith('_ref') ? [v] : k.endsWith('_refs') ? /** @type {string[]} */ (v) : [];
      for (const r of refs) assert.ok(ids.has(r), `${o.id}.${k} -> ${r}`);
    }
  }
  const indicators = bundle.objects.filter((/** @type {any} */ o) => o.type === 'indicator');
  assert.ok(
    indicators.every((/** @type {any} */ i) => /^\[[a-z0-9-]+:[a-z_]+ = '(?:[^'\\]|\\.)*'( AND [a-z0-9-]+:[a-z_]+ = '(?:[^'\\]|\\.)*')*\]$/.test(i.pattern)),
    'patterns are STIX comparison expressions',
  );
  return types;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Asserts a MISP event is what MISP imports: its fields, and every object
 * against its misp-objects definition.
 * @param {any} event
 * @returns {Promise<Set<string>>} the object names used
 */
export async function checkMisp(event) {
  const e = event.Event;
  assert.match(e.uuid, UUID);
  assert.match(e.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(e.info.length > 0);
  assert.ok(['1', '2', '3', '4'].includes(e.threat_level_id));
  assert.ok(['0', '1', '2'].includes(e.analysis));
  assert.ok(['0', '1', '2', '3', '4', '5'].includes(e.distribution));
  assert.match(e.timestamp, /^\d+$/);
  assert.equal(e.published, false);
  const types = (await readJson(path.join(VENDOR, 'pymisp', 'describeTypes.json'))).result;
  const relationships = new Set((await readJson(path.join(VENDOR, 'misp-objects', 'relationships.json'))).values.map((/** @type {any} */ v) => v.name));
  const uuids = new Set(e.Object.map((/** @type {any} */ o) => o.uuid));
  const names = new Set();
  for (const o of e.Object) {
    assert.match(o.uuid, UUID);
    assert.equal(o.distribution, '5', 'objects inherit the event distribution');
    if (o.first_seen) assert.ok(!Number.isNaN(Date.parse(o.first_seen)) && o.first_seen <= o.last_seen);
    names.add(o.name);
    const def = await readJson(path.join(VENDOR, 'misp-objects', 'objects', o.name, 'definition.json'));
    assert.equal(o.template_uuid.toLowerCase(), def.uuid.toLowerCase(), `${o.name}: template uuid`);
    assert.equal(o.template_version, String(def.version), `${o.name}: template version`);
    assert.equal(o['meta-category'], def['meta-category'], `${o.name}: meta-category`);
    assert.equal(o.description, def.description, `${o.name}: description`);
    const seen = new Map();
    for (const a of o.Attribute) {
      assert.match(a.uuid, UUID);
      assert.deepEqual(Object.keys(a).sort(), ['category', 'comment', 'deleted', 'disable_correlation', 'distribution', 'object_relation', 'to_ids', 'type', 'uuid', 'value'].sort());
      assert.equal(typeof a.to_ids, 'boolean');
      const d = def.attributes[a.object_relation];
      assert.ok(d, `${o.name}: relation ${a.object_relation} is in the template`);
      assert.equal(a.type, d['misp-attribute'], `${o.name}.${a.object_relation}: type`);
      assert.ok(types.types.includes(a.type), `${a.type} is a MISP type`);
      assert.ok(types.category_type_mappings[a.category]?.includes(a.type), `${o.name}.${a.object_relation}: category ${a.category} allows ${a.type}`);
      if (d.values) assert.ok(d.values.includes(a.value), `${o.name}.${a.object_relation}: ${a.value} is one of its values`);
      assert.equal(typeof a.value, 'string');
      assert.ok(a.value.length > 0);
      seen.set(a.object_relation, (seen.get(a.object_relation) ?? 0) + 1);
      if (!d.multiple) assert.equal(seen.get(a.object_relation), 1, `${o.name}.${a.object_relation} appears once`);
    }
    for (const r of def.required ?? []) assert.ok(seen.has(r), `${o.name}: required ${r}`);
    if (def.requiredOneOf) assert.ok(def.requiredOneOf.some((/** @type {string} */ r) => seen.has(r)), `${o.name}: one of ${def.requiredOneOf}`);
    for (const ref of o.ObjectReference) {
      assert.ok(relationships.has(ref.relationship_type), ref.relationship_type);
      assert.ok(uuids.has(ref.referenced_uuid), 'the reference resolves');
    }
  }
  return names;
}
