// The operator's dashboard (PROTOCOL.md "Web pages"); built by scripts/build-web.ts into dist/web/admin.
export {};
