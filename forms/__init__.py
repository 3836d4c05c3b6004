"""Task forms: schemas kept as data, turned into WTForms classes when a task is opened.

A user task names its form by key (formKey); the key is looked up in the FormLibrary (YAML
files) or converted from a Camunda form, and `build_form_class` makes the WTForms class.
This package imports WTForms and PyYAML but never Flask: the web layer passes its own base
class (FlaskForm, for CSRF) to the builder.
"""

from forms.builder import build_form_class, form_data, form_files, initial_data
from forms.camunda import schema_from_camunda
from forms.field_types import TaskOptionsError
from forms.library import FormLibrary, FormNotFound
from forms.schema import FieldSchema, FormSchema, FormSchemaError, Option, RequiredIf, load_schema, localize

__all__ = [
    "FieldSchema",
    "FormLibrary",
    "FormNotFound",
    "FormSchema",
    "FormSchemaError",
    "Option",
    "RequiredIf",
    "TaskOptionsError",
    "build_form_class",
    "form_data",
    "form_files",
    "initial_data",
    "load_schema",
    "localize",
    "schema_from_camunda",
]
