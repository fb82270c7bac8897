"""``python -m chargeback.demo_data`` (also the ``chargeback-demo-data`` script)."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
