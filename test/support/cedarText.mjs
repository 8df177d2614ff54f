/**
 * Cedar files imported as text in tests (the governance rule pack, policies/), as esbuild's
 * `text` loader does in the bundles (scripts/build.mjs).
 * @type {import('vite').Plugin}
 */
export const cedarText = {
  name: 'cedar-text',
  transform(code, id) {
    return /\.(cedar|cedarschema)$/.test(id) ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
  },
};
