// Real brokers and processes: a generous per-test limit; each wait inside a test has its own, tighter one.
jest.setTimeout(120_000);
