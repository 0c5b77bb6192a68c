//! Pickers: the lists a form offers as an officer types a name, so nobody has to
//! know a unit's code. Answered as `<datalist>` fragments for htmx; the form still
//! works without script (the field takes a code or a name, resolved on save).

pub(crate) mod pages;
