from models.demo.account import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_account
from models.demo.generator import DemoSummary, build_demo

__all__ = ["DEMO_PASSWORD", "DEMO_USERNAME", "DemoSummary", "build_demo", "ensure_demo_account"]
