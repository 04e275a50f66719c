"""The fuzzing as a whole: the tests/fuzz/test_*.py files before this one
(pytest collects a folder's files in name order) sent at least MIN_REQUESTS
requests, printed per test with `pytest -s`, and at least MIN_DOCUMENTS of them
were production JSON documents (tests/fuzz/test_imports.py).
"""

import pytest

from tests.fuzz.test_forms import FORMS
from tests.fuzz.test_imports import DOCUMENTS, MIN_DOCUMENTS
from tests.fuzz.test_pages_and_urls import QUERIES
from tests.fuzzing import MIN_REQUESTS, REQUESTS

# One test per form and per page, and the nine others (three in
# tests/fuzz/test_forms.py, four in tests/fuzz/test_imports.py, two in
# tests/fuzz/test_pages_and_urls.py).
FUZZ_TESTS = len(FORMS) + len(QUERIES) + 9


def test_enough_requests_were_sent():
    """Runs after the other tests/fuzz/test_*.py files (pytest collects them
    in name order): the fuzzing sent at least MIN_REQUESTS requests."""
    print(f"\nfuzz requests: {REQUESTS['count']} from {len(REQUESTS['tests'])} tests")
    print(f"JSON import documents: {DOCUMENTS['count']}")
    for name, count in REQUESTS["tests"].items():
        print(f"  {count:6} {name}")
    if len(REQUESTS["tests"]) < FUZZ_TESTS:
        pytest.skip("counts only when every test of the tests/fuzz/test_*.py files ran")
    assert REQUESTS["count"] >= MIN_REQUESTS
    assert DOCUMENTS["count"] >= MIN_DOCUMENTS
