"""An email address is shown only to its owner and to admins; everyone else sees ids and usernames."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}

# Operations whose responses may carry an email: the requester's own account, or admin-only ones.
OWN_ACCOUNT = {"GET /api/users/me/", "PATCH /api/users/me/", "POST /api/users/register/"}
ADMIN_ONLY = {
    "GET /api/users/",
    "POST /api/users/",
    "GET /api/users/{id}/",
    "PUT /api/users/{id}/",
    "PATCH /api/users/{id}/",
}


def has_email(schema: dict, components: dict, seen: frozenset = frozenset()) -> bool:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return name not in seen and has_email(components[name], components, seen | {name})
    if any("email" in name.lower() for name in schema.get("properties", {})):
        return True
    children = [
        *schema.get("properties", {}).values(),
        *[schema[key] for key in ("items", "additionalProperties") if isinstance(schema.get(key), dict)],
        *[s for key in ("allOf", "oneOf", "anyOf") for s in schema.get(key, [])],
    ]
    return any(has_email(child, components, seen) for child in children)


def test_only_own_account_and_admin_operations_return_an_email():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    returning_email = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
        for response in operation["responses"].values()
        for media in response.get("content", {}).values()
        if has_email(media["schema"], components)
    }

    assert returning_email == OWN_ACCOUNT | ADMIN_ONLY


@pytest.mark.parametrize("role_client", ["student_client", "instructor_client"])
def test_non_admins_cannot_list_or_read_other_accounts(request, role_client, admin_user):
    client = request.getfixturevalue(role_client)

    listing = client.get("/api/users/")
    detail = client.get(f"/api/users/{admin_user.pk}/")

    assert (listing.status_code, detail.status_code) == (403, 403)
    assert admin_user.email not in listing.content.decode() + detail.content.decode()


def test_me_shows_only_the_requesters_own_email(student_client, student, other_student):
    r = student_client.get("/api/users/me/")

    assert r.json()["email"] == student.email
    assert other_student.email not in r.content.decode()
