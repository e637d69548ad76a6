//go:build !soak

package reliability

// soak is true under the soak build tag (make soak): the long runs.
const soak = false
