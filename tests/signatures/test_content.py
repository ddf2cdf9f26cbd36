"""The canonical serialisation that is hashed and signed: the same content always gives
the same bytes (whatever the order its keys were built in), the bytes read back as the
same content, and any change of the content changes the hash."""

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from gesprekscyclus.signatures.content import canonical, sha256_text

scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
contents = st.dictionaries(st.text(max_size=10), json_values, max_size=6)


def reordered(value):
    """The same content with every dict built in reverse key order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


@given(contents)
def test_the_same_content_gives_the_same_bytes_and_reads_back(content):
    text = canonical(content)

    assert canonical(reordered(content)) == text
    assert json.loads(text) == content
    assert sha256_text(canonical(json.loads(text))) == sha256_text(text)


@given(contents, st.text(min_size=1, max_size=10), json_values)
def test_any_change_changes_the_hash(content, key, value):
    changed = dict(content)
    changed[key] = value
    if changed == content:
        return
    assert sha256_text(canonical(changed)) != sha256_text(canonical(content))


def test_text_is_kept_as_utf8_not_escaped():
    text = canonical({"naam": "Zoë d'Ancona", "b": 1, "a": [2, 1]})

    assert text == '{"a":[2,1],"b":1,"naam":"Zoë d\'Ancona"}'
    assert sha256_text(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
