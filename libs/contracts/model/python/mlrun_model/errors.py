"""Error type and codes, identical to @ml-run/model-contract's ContractErrorCode values."""

from typing import List, Optional, TypedDict


class ContractIssue(TypedDict):
    path: str
    message: str


class ContractErrorCode:
    """The stable error codes (strings), shared with the TypeScript contract."""

    MANIFEST_MISSING = "MANIFEST_MISSING"
    MANIFEST_YAML_INVALID = "MANIFEST_YAML_INVALID"
    MANIFEST_INVALID = "MANIFEST_INVALID"
    MANIFEST_TOO_LARGE = "MANIFEST_TOO_LARGE"
    ENTRY_MISSING = "ENTRY_MISSING"
    COEFFICIENTS_MISSING = "COEFFICIENTS_MISSING"
    COEFFICIENTS_INVALID = "COEFFICIENTS_INVALID"
    MODEL_VERSION_INVALID = "MODEL_VERSION_INVALID"


class ContractError(Exception):
    """Raised when a manifest or model folder breaks the contract; the message says what to fix.

    Example::

        try:
            load_manifest("./iris")
        except ContractError as err:
            print(err.code, err)          # MANIFEST_INVALID ml-run.yaml: "name" must be ...
            for issue in err.details:
                print(issue["path"], issue["message"])
    """

    def __init__(self, code: str, message: str, details: Optional[List[ContractIssue]] = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: List[ContractIssue] = list(details or [])
