"""A first start on an empty database: the v2 page counts what is there (pytest runs this
file first, before any test creates a customer; later it still checks the same rule)."""

from __future__ import annotations

import pytest
from conftest import V1, V2, expect


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("v2-page-total", "v2-page-envelope", "v2-page-past-end")
def test_v2_page_total_counts_what_is_stored(client):
    stored = expect(client.get(V1), 200, f"GET {V1}")
    page = expect(client.get(V2), 200, f"GET {V2}")
    assert page["total"] == len(stored), (
        f"total must be the number of all customers ({len(stored)} stored), got {page['total']}"
    )
    assert [item["id"] for item in page["items"]] == [c["id"] for c in stored][:20], (
        f"the first page must hold the first 20 stored customers by id, got {page['items']}"
    )
