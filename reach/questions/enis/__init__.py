"""The shared Hyperplane ENI plan: which ENIs the functions need, checked against the snapshot."""
from .plan import combination_key, named_function, plan_enis
from .types import (CODES, DEFAULT_ENI_QUOTA, EniCombination, EniPlan, EniWarning, PlannedFunction, StaleEni,
                    SubnetCapacity, VpcCapacity, WhatIf)

__all__ = ["CODES", "DEFAULT_ENI_QUOTA", "EniCombination", "EniPlan", "EniWarning", "PlannedFunction",
           "StaleEni", "SubnetCapacity", "VpcCapacity", "WhatIf", "combination_key", "named_function",
           "plan_enis"]
