import fc from 'fast-check';

// A property that fails is shrunk to its smallest counterexample; through the gateway that can take
// very long. Bound every property run (shrinking included) so CI reports the counterexample found
// so far instead of hanging, and fails.
fc.configureGlobal({ interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true, endOnFailure: false });
