// The player's web client (PROTOCOL.md "Web pages"); built by scripts/build-web.ts into dist/web/player.
export {};
