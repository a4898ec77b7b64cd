// Package logtest holds what this module's tests share for checking log output.
package logtest
