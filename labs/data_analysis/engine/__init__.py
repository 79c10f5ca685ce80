"""The data-analysis engine: pandas only, no Qt (an import-linter contract keeps it so).

reading.py    read_table / sniff / keep_copy: learners' CSV and Excel files, with clear refusals
profile.py    profile_column / profile_frame: kind, missing, distinct, statistics, remarks
steps.py      Filter, Sort, DropDuplicates, DropMissing, DropColumns, FillMissing, ConvertType (transforms)
              and GroupBy, Pivot (summaries): apply(), code(), describe(), validate()
charts.py     ChartSpec -> chart_data() (numbers to draw) and chart_code() (pandas + matplotlib)
exporting.py  export_table / export_csv / export_xlsx, atomic
workspace.py  AnalysisWorkspace (snapshot, code, undo) and open_workspace
bigdata.py    make_large_frame / write_large_csv / engine_timings for the benchmark
"""
