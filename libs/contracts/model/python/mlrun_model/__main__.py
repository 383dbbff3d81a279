"""python3 -m mlrun_model version <dir> | manifest <dir>"""

import argparse
import json
import sys
from typing import List, Optional

from .errors import ContractError
from .manifest import load_manifest
from .version import read_model_dir


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m mlrun_model", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("version", help="print the model version of a model folder").add_argument("dir")
    commands.add_parser("manifest", help="print ml-run.yaml with defaults, as JSON").add_argument("dir")
    args = parser.parse_args(argv)
    try:
        if args.command == "version":
            print(read_model_dir(args.dir)["version"])
        else:
            print(json.dumps(load_manifest(args.dir), indent=2, ensure_ascii=False))
    except ContractError as err:
        print("%s: %s" % (err.code, err), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
