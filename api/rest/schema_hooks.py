"""Post-processing of the generated schema."""

from api.rest.schema import PROBLEM


def add_problem_component(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    return result
