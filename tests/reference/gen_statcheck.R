# Reference verdicts for tests/checks/test_teststat.py from R statcheck (Debian r-cran-statcheck).
# DO NOT EDIT the fixture by hand: run `Rscript --vanilla tests/reference/gen_statcheck.R`
# from the repository root (or give the output directory as the first argument).
# Writes statcheck_reference.json: for each sentence below (APA-style results written for
# this test, with and without reporting errors), what statcheck extracts and whether it
# flags an error and a decision error, with the R and statcheck versions.
suppressPackageStartupMessages({
  library(statcheck)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

sentences <- c(
  "Symptom scores fell more in the treated arm, t(45) = 2.31, p = .026.",
  "Symptom scores fell more in the treated arm, t(45) = 2.31, p = .01.",
  "Scores differed across the three dose groups, F(2, 97) = 3.41, p = .037.",
  "Scores differed across the three dose groups, F(2, 97) = 3.41, p = .37.",
  "Response differed by grade at entry, chi2(1) = 4.08, p = .043.",
  "Response differed by grade at entry, chi2(1) = 4.08, p = .43.",
  "The difference in slopes was significant, z = 2.03, p = .042.",
  "The difference in slopes was significant, z = 1.50, p = .03.",
  "Baseline levels correlated with day 28 scores, r(48) = .32, p = .023.",
  "Baseline levels correlated with day 28 scores, r(48) = .32, p = .23.",
  "The treated group improved, t(33) = -2.64, p = .013.",
  "The treated group improved, t(120) = 1.98, p = .050.",
  "Groups did not differ, F(1, 88) = 5.20, p = .006.",
  "Groups did not differ, t(60) = 1.87, p = .017.",
  "Rates differed, chi2(2) = 7.90, p = .019.",
  "Rates differed, chi2(2) = 7.90, p < .001.",
  "Scores differed, F(3, 196) = 12.80, p < .001.",
  "The slope was flat, z = 1.71, p = .087."
)

res <- statcheck(sentences, messages = FALSE)
rows <- lapply(seq_len(nrow(res)), function(i) {
  r <- res[i, ]
  list(source = as.integer(r$source), raw = r$raw, test_type = r$test_type,
       df1 = if (is.na(r$df1)) NULL else r$df1, df2 = r$df2, test_value = r$test_value,
       p_comp = r$p_comp, reported_p = r$reported_p, computed_p = r$computed_p,
       error = r$error, decision_error = r$decision_error)
})
out <- list(
  r_version = R.version.string,
  packages = list(statcheck = as.character(packageVersion("statcheck")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  sentences = sentences,
  results = rows)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
  file.path(out_dir, "statcheck_reference.json"))
