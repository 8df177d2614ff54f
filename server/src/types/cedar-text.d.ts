// Cedar files imported as text (the rule pack, policies/): esbuild's `text` loader in the
// bundles (scripts/build.mjs), a small plugin in the vitest configurations.
declare module '*.cedar' {
  const text: string;
  export default text;
}
declare module '*.cedarschema' {
  const text: string;
  export default text;
}
