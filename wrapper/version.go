package wrapper

// Version is the glomo-go release this code is, sent in the User-Agent. It is
// the one place the version lives: `make release-check TAG=vX.Y.Z` (and the
// release workflow on a tag push) refuses a tag that differs from it or a
// CHANGELOG.md without a section for it.
const Version = "0.1.0"
