"""jixiao (绩效): performance appraisal and performance pay for e-commerce teams."""

__version__ = "0.1.0"
