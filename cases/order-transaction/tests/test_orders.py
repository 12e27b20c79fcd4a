"""POST /api/v1/orders: all-or-nothing stock reservation, checked via the API and the DB."""

from __future__ import annotations

from datetime import datetime

import pytest

MISSING_PRODUCT_ID = 987_654_321


def _refused(response, what: str) -> None:
    assert 400 <= response.status_code < 500, (
        f"{what} must be refused with a 4xx status, got {response.status_code}: "
        f"{response.text[:300]}"
    )


ORDER_FIELDS = {"id", "total_cents", "created_at", "items"}
LINE_FIELDS = {"product_id", "quantity", "unit_price_cents", "line_total_cents"}


def _lines(body: dict) -> list[tuple]:
    """An order's lines as sorted tuples of the four documented fields."""
    return sorted(
        tuple(item.get(field) for field in sorted(LINE_FIELDS)) for item in body.get("items", [])
    )


def _assert_order_shape(body: dict, what: str) -> None:
    missing = ORDER_FIELDS - set(body)
    assert not missing, f"{what}: the order must carry {sorted(ORDER_FIELDS)}, missing {missing}"
    try:
        datetime.fromisoformat(str(body["created_at"]).replace("Z", "+00:00"))
    except ValueError:
        pytest.fail(f"{what}: created_at must be a date-time, got {body['created_at']!r}")
    for item in body["items"]:
        assert LINE_FIELDS <= set(item), (
            f"{what}: each line must carry {sorted(LINE_FIELDS)}, got {item!r}"
        )
        assert item["line_total_cents"] == item["quantity"] * item["unit_price_cents"], (
            f"{what}: line_total_cents must be quantity x unit_price_cents: {item!r}"
        )
    assert body["total_cents"] == sum(item["line_total_cents"] for item in body["items"]), (
        f"{what}: total_cents must be the sum of the line totals: {body!r}"
    )


def _line(body: dict, product_id: int) -> list[dict]:
    return [item for item in body.get("items", []) if item.get("product_id") == product_id]


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("created-201", "response-is-order", "line-total", "total-is-sum", "unit-price-is-product-price")
def test_order_created_201_with_lines_and_total(make_product, place_order):
    beans, milk = make_product(price_cents=1999, stock=10), make_product(price_cents=399, stock=5)
    response = place_order((beans["id"], 2), (milk["id"], 1))
    assert response.status_code == 201, (
        f"a valid order must answer 201 Created, got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body.get("id"), int), f"the order must have an integer 'id': {body!r}"
    assert body.get("total_cents") == 2 * 1999 + 399, (
        f"total_cents must be the sum of quantity x price (4397), got {body.get('total_cents')}"
    )
    (line,) = _line(body, beans["id"])
    assert line.get("quantity") == 2 and line.get("unit_price_cents") == 1999, line
    assert line.get("line_total_cents") == 3998, f"line_total_cents must be 3998: {line!r}"
    _assert_order_shape(body, "POST /api/v1/orders")


@pytest.mark.rule("database")
@pytest.mark.requirement("stored-together", "product-current-stock", "stock-down-to-zero")
def test_order_decrements_stock_for_every_line(make_product, place_order, api_stock):
    a, b, c = (make_product(stock=10), make_product(stock=4), make_product(stock=1))
    response = place_order((a["id"], 3), (b["id"], 4), (c["id"], 1))
    assert response.status_code == 201, f"order must succeed, got {response.status_code}"
    stocks = {p["id"]: api_stock(p["id"]) for p in (a, b, c)}
    assert stocks == {a["id"]: 7, b["id"]: 0, c["id"]: 0}, (
        f"every line must decrement its product's stock (expected 7, 0, 0), got {stocks}"
    )


@pytest.mark.rule("database")
@pytest.mark.requirement("stored-together", "total-is-sum", "keep-tables")
def test_order_rows_and_stock_persisted(make_product, place_order, db, db_stock):
    a, b = make_product(price_cents=250, stock=8), make_product(price_cents=100, stock=3)
    response = place_order((a["id"], 2), (b["id"], 3))
    assert response.status_code == 201, f"order must succeed, got {response.status_code}"
    order_id = response.json()["id"]
    total = db.execute("SELECT total_cents FROM orders WHERE id = ?", (order_id,)).fetchone()
    assert total is not None and total[0] == 800, (
        f"the orders table must hold order {order_id} with total_cents 800, got {total}"
    )
    lines = db.execute(
        "SELECT product_id, SUM(quantity) FROM order_items WHERE order_id = ? GROUP BY product_id",
        (order_id,),
    ).fetchall()
    assert dict(lines) == {a["id"]: 2, b["id"]: 3}, (
        f"order_items must hold the order's lines, got {lines}"
    )
    assert (db_stock(a["id"]), db_stock(b["id"])) == (6, 0), (
        "the stored stock must be decremented for every line"
    )


@pytest.mark.rule("database", "errors")
@pytest.mark.requirement("stock-down-to-zero", "insufficient-stock-409")
def test_order_may_use_exact_remaining_stock(make_product, place_order, api_stock):
    product = make_product(stock=3)
    response = place_order((product["id"], 3))
    assert response.status_code == 201, (
        "ordering exactly the remaining stock must succeed (stock may reach 0), "
        f"got {response.status_code}: {response.text[:300]}"
    )
    assert api_stock(product["id"]) == 0
    again = place_order((product["id"], 1))
    assert again.status_code == 409, (
        f"stock 0 must refuse a further order with 409, got {again.status_code}"
    )


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("insufficient-stock-409", "error-detail-body")
def test_insufficient_stock_409(make_product, place_order):
    product = make_product(stock=2)
    response = place_order((product["id"], 3))
    assert response.status_code == 409, (
        f"ordering more than the stock must answer 409 Conflict, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    assert "detail" in response.json(), f"errors use a 'detail' body, got {response.json()!r}"


@pytest.mark.rule("database")
@pytest.mark.requirement("refused-writes-nothing")
def test_insufficient_stock_writes_no_order(make_product, place_order, row_counts):
    ok, short = make_product(stock=10), make_product(stock=1)
    before = row_counts()
    response = place_order((ok["id"], 1), (short["id"], 2))
    _refused(response, "an order with a line over the stock")
    assert row_counts() == before, (
        f"a refused order must write no orders/order_items rows: before {before}, "
        f"after {row_counts()}"
    )


@pytest.mark.rule("database")
@pytest.mark.requirement("refused-writes-nothing", "product-current-stock")
def test_insufficient_stock_on_later_line_leaves_other_stock_unchanged(
    make_product, place_order, api_stock, db_stock
):
    first, second, short = make_product(stock=10), make_product(stock=5), make_product(stock=1)
    response = place_order((first["id"], 4), (second["id"], 5), (short["id"], 2))
    _refused(response, "an order whose last line is over the stock")
    for product, expected in ((first, 10), (second, 5), (short, 1)):
        assert api_stock(product["id"]) == expected, (
            f"a refused order must not change any stock: product {product['id']} "
            f"went from {expected} to {api_stock(product['id'])} (API)"
        )
        assert db_stock(product["id"]) == expected, (
            f"a refused order must not change any stored stock: product {product['id']} "
            f"is {db_stock(product['id'])} in the database, expected {expected}"
        )


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("unknown-product-404")
def test_unknown_product_404(place_order):
    response = place_order((MISSING_PRODUCT_ID, 1))
    assert response.status_code == 404, (
        f"an unknown product must answer 404, got {response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("database", "errors")
@pytest.mark.requirement("unknown-product-404", "refused-writes-nothing")
def test_unknown_product_on_later_line_writes_nothing(
    make_product, place_order, row_counts, db_stock
):
    product = make_product(stock=6)
    before = row_counts()
    response = place_order((product["id"], 2), (MISSING_PRODUCT_ID, 1))
    assert response.status_code == 404, (
        f"an order naming an unknown product must answer 404, got {response.status_code}"
    )
    assert db_stock(product["id"]) == 6, (
        "an order refused for an unknown product must not decrement the other lines' stock, "
        f"stock is now {db_stock(product['id'])} (was 6)"
    )
    assert row_counts() == before, (
        f"an order refused for an unknown product must write no rows: before {before}, "
        f"after {row_counts()}"
    )


@pytest.mark.rule("database", "errors")
@pytest.mark.requirement("stock-covers-sum", "same-product-several-lines", "refused-writes-nothing", "stock-down-to-zero")
def test_duplicate_lines_checked_against_combined_stock(
    make_product, place_order, api_stock, row_counts
):
    product = make_product(stock=5)
    before = row_counts()
    response = place_order((product["id"], 3), (product["id"], 3))
    assert response.status_code == 409, (
        "two lines of 3 for a product with stock 5 must be refused with 409 (stock must "
        f"cover the sum of the lines), got {response.status_code}: {response.text[:300]}"
    )
    assert api_stock(product["id"]) == 5, (
        f"stock must stay 5 after the refused order, got {api_stock(product['id'])}"
    )
    assert row_counts() == before, "a refused order must write no rows"


@pytest.mark.rule("database")
@pytest.mark.requirement("same-product-several-lines", "stock-covers-sum", "total-is-sum")
def test_duplicate_lines_decrement_combined_quantity(make_product, place_order, api_stock):
    product = make_product(price_cents=150, stock=10)
    response = place_order((product["id"], 3), (product["id"], 4))
    assert response.status_code == 201, (
        f"two lines (3 + 4) within a stock of 10 must succeed, got {response.status_code}"
    )
    assert response.json().get("total_cents") == 7 * 150, (
        f"total_cents must cover both lines (1050), got {response.json().get('total_cents')}"
    )
    assert api_stock(product["id"]) == 3, (
        f"stock must drop by 3 + 4 to 3, got {api_stock(product['id'])}"
    )


@pytest.mark.rule("schemas", "errors", "database")
@pytest.mark.requirement("quantity-positive-int", "invalid-body-422", "refused-writes-nothing")
def test_non_positive_quantity_rejected_422(make_product, place_order, api_stock, row_counts):
    product = make_product(stock=5)
    before = row_counts()
    for quantity in (0, -3):
        response = place_order((product["id"], quantity))
        assert response.status_code == 422, (
            f"quantity {quantity} must be rejected with 422, got {response.status_code}: "
            f"{response.text[:300]}"
        )
    assert api_stock(product["id"]) == 5, (
        f"a rejected quantity must not change the stock, got {api_stock(product['id'])}"
    )
    assert row_counts() == before, "rejected orders must write no rows"


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("items-non-empty", "invalid-body-422", "quantity-positive-int")
def test_malformed_order_body_rejected_422(client, make_product):
    product = make_product(stock=5)
    bodies = [
        {"items": []},
        {},
        {"items": [{"product_id": product["id"]}]},
        {"items": [{"quantity": 1}]},
        {"items": [{"product_id": product["id"], "quantity": 1.5}]},
        {"items": [{"product_id": product["id"], "quantity": "two"}]},
    ]
    for body in bodies:
        response = client.post("/api/v1/orders", json=body)
        assert response.status_code == 422, (
            f"body {body!r} must be rejected with 422, got {response.status_code}: "
            f"{response.text[:300]}"
        )


@pytest.mark.rule("database")
@pytest.mark.requirement("refused-writes-nothing", "stored-together")
def test_refused_order_does_not_block_next_order(make_product, place_order, api_stock):
    a, b = make_product(stock=4), make_product(stock=2)
    refused = place_order((a["id"], 1), (b["id"], 3))
    _refused(refused, "an order over the stock")
    accepted = place_order((a["id"], 1), (b["id"], 2))
    assert accepted.status_code == 201, (
        f"a valid order after a refused one must succeed, got {accepted.status_code}: "
        f"{accepted.text[:300]}"
    )
    assert (api_stock(a["id"]), api_stock(b["id"])) == (3, 0), (
        "after one refused and one accepted order, only the accepted one may count: "
        f"expected stocks (3, 0), got {(api_stock(a['id']), api_stock(b['id']))}"
    )


@pytest.mark.rule("security", "schemas")
@pytest.mark.requirement("price-from-products", "unit-price-is-product-price")
def test_price_comes_from_product_not_request(make_product, place_order):
    product = make_product(price_cents=5000, stock=5)
    response = place_order((product["id"], 2), extra={"unit_price_cents": 1, "price_cents": 1})
    assert response.status_code == 201, (
        f"extra fields on a line must be ignored, got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert body.get("total_cents") == 10000, (
        f"the price must come from the product (2 x 5000 = 10000), got {body.get('total_cents')}"
    )
    (line,) = _line(body, product["id"])
    assert line.get("unit_price_cents") == 5000, f"unit_price_cents must be 5000: {line!r}"


@pytest.mark.rule("api-design")
@pytest.mark.requirement("get-order-200")
def test_get_order_returns_stored_order(client, make_product, place_order):
    a, b = make_product(price_cents=300, stock=9), make_product(price_cents=45, stock=9)
    created = place_order((a["id"], 3), (b["id"], 2))
    assert created.status_code == 201, f"order must succeed, got {created.status_code}"
    order_id = created.json()["id"]
    response = client.get(f"/api/v1/orders/{order_id}")
    assert response.status_code == 200, f"GET /api/v1/orders/{order_id} must answer 200"
    body = response.json()
    assert body.get("id") == order_id and body.get("total_cents") == 990, body
    quantities = {}
    for item in body.get("items", []):
        quantities[item["product_id"]] = quantities.get(item["product_id"], 0) + item["quantity"]
    assert quantities == {a["id"]: 3, b["id"]: 2}, f"stored lines differ: {body!r}"
    assert _lines(body) == _lines(created.json()), (
        "GET must return the order in the same shape as POST (same lines, prices and line "
        f"totals): POST gave {created.json()!r}, GET gave {body!r}"
    )
    _assert_order_shape(body, "GET /api/v1/orders/{id}")


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("get-unknown-order-404", "error-detail-body")
def test_get_unknown_order_404(client):
    response = client.get(f"/api/v1/orders/{MISSING_PRODUCT_ID}")
    assert response.status_code == 404, (
        f"an unknown order id must answer 404, got {response.status_code}"
    )


@pytest.mark.rule("database")
@pytest.mark.requirement("keep-tables")
def test_existing_tables_keep_their_columns(make_product, place_order, db):
    product = make_product(stock=2)
    assert place_order((product["id"], 1)).status_code == 201, "order must succeed"
    expected = {
        "products": {"id", "name", "price_cents", "stock"},
        "orders": {"id", "total_cents", "created_at"},
        "order_items": {"id", "order_id", "product_id", "quantity", "unit_price_cents"},
    }
    for table, columns in expected.items():
        found = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}  # noqa: S608
        assert found == columns, (
            f"the table {table} must keep its columns {sorted(columns)}, got {sorted(found)}"
        )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("keep-products-endpoints", "product-current-stock")
def test_products_endpoints_kept(client, make_product):
    product = make_product(price_cents=1234, stock=7)
    assert {"id", "name", "price_cents", "stock"} <= set(product), (
        f"POST /api/v1/products must still return the product, got {product!r}"
    )
    assert (product["price_cents"], product["stock"]) == (1234, 7), product
    one = client.get(f"/api/v1/products/{product['id']}")
    assert one.status_code == 200 and one.json() == product, (
        f"GET /api/v1/products/{{id}} must return the product, got {one.status_code} {one.text}"
    )
    listed = client.get("/api/v1/products")
    assert listed.status_code == 200, f"GET /api/v1/products must answer 200: {listed.text}"
    assert product in listed.json(), "GET /api/v1/products must list the new product"
    missing = client.get(f"/api/v1/products/{MISSING_PRODUCT_ID}")
    assert missing.status_code == 404, (
        f"GET /api/v1/products/{{unknown id}} must still answer 404, got {missing.status_code}"
    )
    invalid = client.post("/api/v1/products", json={"name": "", "price_cents": -1})
    assert invalid.status_code == 422, (
        f"POST /api/v1/products must keep validating its body, got {invalid.status_code}"
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("error-detail-body", "unknown-product-404", "invalid-body-422")
def test_every_order_error_uses_detail_body(client, make_product, place_order):
    product = make_product(stock=1)
    responses = [
        ("an unknown product", 404, place_order((MISSING_PRODUCT_ID, 1))),
        ("a line over the stock", 409, place_order((product["id"], 2))),
        ("a zero quantity", 422, place_order((product["id"], 0))),
        ("an unknown order", 404, client.get(f"/api/v1/orders/{MISSING_PRODUCT_ID}")),
    ]
    for what, expected, response in responses:
        assert response.status_code == expected, (
            f"{what} must answer {expected}, got {response.status_code}: {response.text[:300]}"
        )
        body = response.json()
        assert isinstance(body, dict) and "detail" in body, (
            f"the {expected} error for {what} must use the {{'detail': ...}} body, got {body!r}"
        )


@pytest.mark.rule("database", "errors")
@pytest.mark.requirement("several-wrong-any-error", "refused-writes-nothing")
def test_several_wrong_lines_refused_with_one_matching_error(
    make_product, place_order, row_counts, db_stock
):
    fine, short = make_product(stock=9), make_product(stock=1)
    before = row_counts()
    for lines in (
        ((fine["id"], 2), (short["id"], 5), (MISSING_PRODUCT_ID, 1)),
        ((MISSING_PRODUCT_ID, 1), (fine["id"], 2), (short["id"], 5)),
    ):
        response = place_order(*lines)
        assert response.status_code in (404, 409), (
            "an order with an unknown product and a line over the stock must answer 404 or "
            f"409, got {response.status_code}: {response.text[:300]}"
        )
    assert (db_stock(fine["id"]), db_stock(short["id"])) == (9, 1), (
        "a refused order must not change any stock"
    )
    assert row_counts() == before, "a refused order must write no rows"


@pytest.mark.rule("database", "schemas", "errors")
@pytest.mark.requirement("refused-writes-nothing", "invalid-body-422", "quantity-positive-int")
def test_invalid_line_after_valid_lines_writes_nothing(
    client, make_product, row_counts, db_stock
):
    first, second = make_product(stock=5), make_product(stock=5)
    before = row_counts()
    for bad in ({"product_id": second["id"], "quantity": 0}, {"product_id": second["id"]}):
        body = {"items": [{"product_id": first["id"], "quantity": 2}, bad]}
        response = client.post("/api/v1/orders", json=body)
        assert response.status_code == 422, (
            f"body {body!r} must be rejected with 422, got {response.status_code}"
        )
    assert (db_stock(first["id"]), db_stock(second["id"])) == (5, 5), (
        "a rejected order must not change the stock of its valid lines"
    )
    assert row_counts() == before, "a rejected order must write no rows"


@pytest.mark.rule("database")
@pytest.mark.requirement("stock-covers-sum", "same-product-several-lines", "stock-down-to-zero")
def test_duplicate_lines_may_use_exact_combined_stock(make_product, place_order, db_stock):
    product = make_product(price_cents=20, stock=5)
    response = place_order((product["id"], 3), (product["id"], 2))
    assert response.status_code == 201, (
        "two lines (3 + 2) for a product with stock 5 must succeed (stock may reach 0), "
        f"got {response.status_code}: {response.text[:300]}"
    )
    assert response.json().get("total_cents") == 100, response.json()
    assert db_stock(product["id"]) == 0, f"stock must reach 0, got {db_stock(product['id'])}"
