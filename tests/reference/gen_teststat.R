# Reference values for tests/checks/test_teststat.py.
# DO NOT EDIT the fixture by hand: run `Rscript --vanilla tests/reference/gen_teststat.R`
# from the repository root (or give the output directory as the first argument).
# Writes teststat_reference.json (with the R version inside): the P value of each test
# statistic at the printed value and at both ends of its rounding interval
# (value +/- half a unit in the last printed place), as statcheck computes them.
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

pval <- function(test, x, df1, df2) {
  switch(test,
    t = 2 * pt(-abs(x), df1),
    z = 2 * pnorm(-abs(x)),
    r = { t <- abs(x) * sqrt(df1 / (1 - x^2)); 2 * pt(-t, df1) },
    F = pf(x, df1, df2, lower.tail = FALSE),
    chi2 = pchisq(x, df1, lower.tail = FALSE))
}

cases <- list(
  list(test = "t", value = "2.31", df1 = 45, df2 = NA, p = "0.026"),
  list(test = "t", value = "2.31", df1 = 45, df2 = NA, p = "0.01"),
  list(test = "t", value = "-1.98", df1 = 120, df2 = NA, p = "0.050"),
  list(test = "t", value = "1.2", df1 = 30, df2 = NA, p = "0.24"),
  list(test = "t", value = "2.10", df1 = 58, df2 = NA, p = "0.02"),
  list(test = "F", value = "3.41", df1 = 2, df2 = 97, p = ".037"),
  list(test = "F", value = "4.50", df1 = 1, df2 = 40, p = "0.09"),
  list(test = "F", value = "12.8", df1 = 3, df2 = 196, p = "<0.001"),
  list(test = "chi2", value = "4.08", df1 = 1, df2 = NA, p = "0.043"),
  list(test = "chi2", value = "4.08", df1 = 1, df2 = NA, p = "0.43"),
  list(test = "chi2", value = "9.6", df1 = 2, df2 = NA, p = "0.008"),
  list(test = "chi2", value = "3.10", df1 = 1, df2 = NA, p = "0.04"),
  list(test = "z", value = "2.03", df1 = NA, df2 = NA, p = "0.042"),
  list(test = "z", value = "1.50", df1 = NA, df2 = NA, p = "0.03"),
  list(test = "z", value = "-2.58", df1 = NA, df2 = NA, p = "0.010"),
  list(test = "r", value = ".32", df1 = 48, df2 = NA, p = ".023"),
  list(test = "r", value = "0.15", df1 = 98, df2 = NA, p = "0.01"),
  list(test = "r", value = "-0.41", df1 = 60, df2 = NA, p = "0.001")
)

rows <- lapply(cases, function(k) {
  x <- as.numeric(k$value)
  dec <- if (grepl(".", k$value, fixed = TRUE)) nchar(sub(".*\\.", "", k$value)) else 0
  h <- 0.5 * 10^(-dec)
  ends <- c(abs(x) - h, abs(x) + h)
  if (k$test == "r") ends[2] <- min(ends[2], 1)
  ps <- sapply(ends, function(e) pval(k$test, e, k$df1, k$df2))
  list(test = k$test, value = k$value, df1 = k$df1, df2 = k$df2, p = k$p,
       p_nominal = pval(k$test, x, k$df1, k$df2),
       p_low = min(ps), p_high = max(ps))
})

out <- list(
  r_version = R.version.string,
  packages = list(jsonlite = as.character(packageVersion("jsonlite"))),
  cases = rows)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
  file.path(out_dir, "teststat_reference.json"))
