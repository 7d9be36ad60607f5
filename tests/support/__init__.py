"""Helper modules of the test suite (fixtures, real terminals, real processes, data makers); the tests stay flat in tests/."""
