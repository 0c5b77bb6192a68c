//! Public verification of a recognition certificate: anyone holding the paper (a
//! bank, a contractor, a journalist) checks that its code names a standing
//! recognition — which unit, which year, which decision, nothing more.

pub(crate) mod pages;
