"""Stand-ins for pyignite.Client in the unit tests: no Ignite needed."""


class FakeCursor:
    def __init__(self, rows):
        self.rows = rows

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __iter__(self):
        return iter(self.rows)


class FakeIgnite:
    """Answers the model's two queries (row count, one customer's row) from a dict.

    `rows` maps a customer id to (txn_count, amount_mean, amount_std, chargeback_count).
    Every query is recorded in `queries` as (sql, query_args); `fail` is raised instead.
    """

    def __init__(self, rows=None, fail=None):
        self.rows = dict(rows or {})
        self.fail = fail
        self.queries = []

    def sql(self, query, query_args=None, **kwargs):
        self.queries.append((query, query_args))
        if self.fail is not None:
            raise self.fail
        if query.startswith("SELECT COUNT(*) FROM "):
            return FakeCursor([[len(self.rows)]])
        if query.endswith(" WHERE CUSTOMER_ID = ?"):
            row = self.rows.get(query_args[0])
            return FakeCursor([list(row)] if row is not None else [])
        raise AssertionError("unexpected query: " + query)


class FakeTable:
    """Just enough SQL for setup/load_aggregates.py: one table keyed by CUSTOMER_ID."""

    def __init__(self, existing=None):
        self.created = existing is not None
        self.rows = dict(existing or {})
        self.statements = []

    def sql(self, query, query_args=None, **kwargs):
        self.statements.append(query.split(" ", 1)[0])
        if query.startswith("CREATE TABLE IF NOT EXISTS CUSTOMER_AGGREGATES"):
            self.created = True
            return FakeCursor([])
        if not self.created:
            raise RuntimeError("Table \"CUSTOMER_AGGREGATES\" not found")
        if query.startswith("MERGE INTO CUSTOMER_AGGREGATES"):
            self.rows[query_args[0]] = tuple(query_args[1:])
            return FakeCursor([[1]])
        if query == "SELECT CUSTOMER_ID FROM CUSTOMER_AGGREGATES":
            return FakeCursor([[key] for key in self.rows])
        if query == "DELETE FROM CUSTOMER_AGGREGATES WHERE CUSTOMER_ID = ?":
            self.rows.pop(query_args[0], None)
            return FakeCursor([[1]])
        if query == "SELECT COUNT(*) FROM CUSTOMER_AGGREGATES":
            return FakeCursor([[len(self.rows)]])
        raise AssertionError("unexpected statement: " + query)
