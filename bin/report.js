#!/usr/bin/env node
// CommonJS (bin/package.json), like dist/: Node starts a script faster than a module.
require('../dist/start.js');
