'use strict';
// `npm run test:reliability`: real service processes on MariaDB under faults.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 15 * 60 * 1000,
  // Keep-alive sockets of the load clients may outlive the run by a few seconds.
  forceExit: true,
};
